"""Reading generated documents back, as a person's software would: pypdf for PDFs, odfpy for ODS."""

from __future__ import annotations

import io

from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P
from pypdf import PdfReader


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in pdf_reader(content).pages]


def flat(text: str) -> str:
    """Text with line breaks removed, to find values that wrap inside a cell."""
    return text.replace("\n", "").replace(" ", "")


def _cell_text(cell: TableCell) -> str:
    return "\n".join(str(p) for p in cell.getElementsByType(P))


def ods_rows(content: bytes) -> list[list[str]]:
    """Every row of the first sheet as a list of cell texts (trailing empty cells dropped)."""
    document = load(io.BytesIO(content))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells.extend([_cell_text(cell)] * repeat)
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows
