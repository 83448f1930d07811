"""One way to write a spreadsheet cell the product exports (CSV and ODS): never as code.

A spreadsheet turns a text cell beginning with `=`, `+`, `-` or `@` into a formula (and a tab or a
carriage return at the start can hide one), so a candidate named `=HYPERLINK(...)` or
`@SUM(1+1)*cmd|...` would run when the centre opens its results CSV. As pretix does, such text is
prefixed with an apostrophe, which every spreadsheet shows as text. Numbers are not text: an
`int`/`float` (a numeric ODS cell) is written as it is, and so is a text that is only a number
("-3", "+2,5") or the lone "-" the results use for "not assessed": neither can carry a formula.

Every CSV writer goes through `csv_row` (or `safe_cell`), every ODS writer through `ods_cell`;
readers of our own files undo the prefix with `unsafe_cell` so a downloaded list re-imports as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from odf.style import Style
from odf.table import TableCell
from odf.text import P

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")
_HARMLESS = {"-"}


def safe_cell(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would read as a formula: then `'` + value."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if value in _HARMLESS or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def unsafe_cell(value: str) -> str:
    """The text `safe_cell` was given, for a cell read back from a file we wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS) and safe_cell(value[1:]) == value:
        return value[1:]
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def csv_bytes(rows: Iterable[Iterable[Any]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    """Rows as a CSV a French spreadsheet opens as it is: UTF-8 (with BOM), `;` separated, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(csv_row(row))
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def ods_cell(value: Any = "", *, style: Style | None = None, span: int = 1) -> TableCell:
    """An ODS cell: a number as a numeric cell, anything else as a neutralised text cell."""
    attrs: dict[str, Any] = {}
    if style is not None:
        attrs["stylename"] = style
    if span > 1:
        attrs["numbercolumnsspanned"] = span
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value, **attrs)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string", **attrs)
    if value not in ("", None):
        cell.addElement(P(text=str(safe_cell(str(value)))))
    return cell
