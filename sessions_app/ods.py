"""The candidate list as an OpenDocument spreadsheet (odfpy): written pre-filled, read back.

Writing uses odfpy; reading parses content.xml with defusedxml and never evaluates anything:
a cell holding a formula is refused with its position. Every line is checked and every mistake
is reported with its line and column; the caller imports the rows only when there is no error.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET
from django.utils.translation import gettext as _
from odf.namespaces import OFFICENS, TABLENS, TEXTNS
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableColumn, TableRow

from pixcertif import exports, imports
from sessions_app.enrolment_rules import (
    CandidateData,
    RuleError,
    billing_errors,
    birth_date_error,
    birthplace_errors,
    clean_birthplace,
    parse_billing_mode,
    parse_date,
    parse_email,
    parse_extra_time,
    parse_sex,
    parse_yes_no,
)
from sessions_app.models import BillingMode, Candidate, Session
from sessions_app.models.candidate import PREPAYMENT_CODE_MAX_LENGTH
from sessions_app.normalize import normalize_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MAX_LINES = 5000
MAX_COLUMNS = 64
# content.xml once decompressed: a 5,000-line list written by LibreOffice or by us is ~6 MB; a
# small file inflating further would pin a worker (a 50 MB XML costs seconds and ~400 MB to parse).
MAX_CONTENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.label} *" if self.required else self.label


COLUMNS: list[Column] = [
    Column("last_name", "Nom de naissance", True, ("nom",)),
    Column("first_name", "Prénom", True),
    Column("sex", "Sexe (M ou F)", True, ("sexe",)),
    Column("birth_date", "Date de naissance (jj/mm/aaaa)", True, ("date de naissance",)),
    Column("birth_country", "Pays de naissance", True),
    Column("birth_insee_code", "Code INSEE de la commune de naissance", False, ("code insee",)),
    Column("birth_postal_code", "Code postal de la commune de naissance", False, ("code postal",)),
    Column("birth_city", "Commune de naissance", False, ("nom de la commune de naissance", "commune")),
    Column("external_id", "Identifiant local"),
    Column("email", "E-mail de convocation"),
    Column("result_recipient_email", "E-mail du destinataire des résultats"),
    Column("extra_time_percentage", "Temps majoré (%)", False, ("temps majore",)),
    Column("needs_adjustment", "Besoin d'un aménagement (oui/non)", False, ("besoin d un amenagement", "amenagement")),
    # Only non-school centres import candidates: the billing mode is required, in French words.
    Column("billing_mode", "Tarification part Pix", True, ("tarification",)),
    Column("prepayment_code", "Code de prépaiement", False),
]
BILLING_LABELS = {mode.value: str(mode.label) for mode in BillingMode}
_BY_KEY = {c.key: c for c in COLUMNS}
MAX_LENGTHS = {
    "last_name": 255,
    "first_name": 255,
    "birth_city": 255,
    "birth_country": 255,
    "external_id": 255,
    "prepayment_code": PREPAYMENT_CODE_MAX_LENGTH,
}


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", normalize_name(text.replace("*", ""))).strip()


_HEADERS: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.aliases):
        _HEADERS[_header_key(_name)] = _column


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: StrOrPromise

    def __str__(self) -> str:
        if self.column:
            return _("Ligne %(line)s, colonne %(column)s : %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Ligne %(line)s : %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    rows: list[CandidateData] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


class OdsFileError(ValueError):
    """The file as a whole cannot be read (not an ODS, no header, no line, too many lines…)."""


# ---------------------------------------------------------------- writing


def cell_text(candidate: Candidate, key: str) -> object:
    """What the spreadsheet shows of one field: dates jj/mm/aaaa, French labels, oui/non."""
    value = getattr(candidate, key)
    if key == "billing_mode":
        return BILLING_LABELS.get(value, "")
    if key == "needs_adjustment":
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value if value is not None else ""


def write_candidates(candidates: Iterable[Candidate]) -> bytes:
    """A spreadsheet with the header row ("*" on required columns) and one row per candidate."""
    doc = OpenDocumentSpreadsheet()
    bold = Style(name="header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(ParagraphProperties(textalign="center"))
    doc.automaticstyles.addElement(bold)
    wide = Style(name="wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="5cm"))
    doc.automaticstyles.addElement(wide)
    table = Table(name="Candidats")
    table.addElement(TableColumn(stylename=wide, numbercolumnsrepeated=len(COLUMNS)))
    header = TableRow()
    for column in COLUMNS:
        header.addElement(exports.ods_cell(column.header, style=bold))
    table.addElement(header)
    for candidate in candidates:
        row = TableRow()
        for column in COLUMNS:
            row.addElement(exports.ods_cell(cell_text(candidate, column.key)))
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def candidates_ods(session: Session) -> tuple[str, bytes]:
    candidates = session.candidates.order_by("last_name", "first_name", "id")
    return f"liste-candidats-session-{session.pk}.ods", write_candidates(candidates)


# ---------------------------------------------------------------- reading
# Reading parses content.xml with defusedxml (no entity expansion, no external resources): odfpy's
# object model costs ~3 s on a 2,000-line file, this costs a fraction of a second.

_FORMULA = object()
_T = f"{{{TABLENS}}}"
_O = f"{{{OFFICENS}}}"
_X = f"{{{TEXTNS}}}"
_CELL_TAGS = {f"{_T}table-cell", f"{_T}covered-table-cell"}
_ROW_GROUPS = {f"{_T}table-header-rows", f"{_T}table-rows", f"{_T}table-row-group"}


def _text_of(element: ET.Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == f"{_X}s":
            parts.append(" " * int(child.get(f"{_X}c", "1")))
        elif child.tag in {f"{_X}tab", f"{_X}line-break"}:
            parts.append(" ")
        elif child.tag != f"{_O}annotation":
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_value(cell: ET.Element) -> object:
    if cell.get(f"{_T}formula") is not None:
        return _FORMULA
    value_type = cell.get(f"{_O}value-type")
    if value_type == "date":
        try:
            return date.fromisoformat(cell.get(f"{_O}date-value", "")[:10]).strftime("%d/%m/%Y")
        except ValueError:
            pass  # a malformed date value: fall back to the cell's displayed text below
    elif value_type in {"float", "percentage", "currency"}:
        try:
            number = float(cell.get(f"{_O}value", ""))
        except ValueError:
            number = None
        if number is not None:
            if value_type == "percentage":
                number *= 100
            return str(round(number)) if abs(number - round(number)) < 1e-9 else str(number)
    return exports.unsafe_cell("\n".join(_text_of(p) for p in cell if p.tag == f"{_X}p").strip())


def _row_elements(parent: ET.Element) -> Iterator[ET.Element]:
    for child in parent:
        if child.tag == f"{_T}table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _row_elements(child)


def _rows(table: ET.Element) -> Iterator[tuple[int, list[object]]]:
    """(line number, cell values) of the non-empty rows; repeated rows and cells expanded with a cap."""
    line = 0
    for row in _row_elements(table):
        repeat = int(row.get(f"{_T}number-rows-repeated", "1"))
        cells: list[object] = []
        for cell in row:
            if cell.tag not in _CELL_TAGS:
                continue
            count = int(cell.get(f"{_T}number-columns-repeated", "1"))
            cells.extend([_cell_value(cell)] * min(count, MAX_COLUMNS - len(cells)))
            if len(cells) >= MAX_COLUMNS:
                break
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            line += repeat
            continue
        for _repeat in range(min(repeat, MAX_LINES + 2)):
            line += 1
            yield line, cells


ZIP_SIGNATURE = b"PK\x03\x04"
# What a damaged or hostile archive raises when it is opened or read.
ZIP_ERRORS = (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError)


def _mimetype(archive: zipfile.ZipFile) -> str:
    return archive.read("mimetype").decode("ascii", "replace").strip()


def is_ods(data: bytes) -> bool:
    """True when `data` is an ODS spreadsheet (a zip whose `mimetype` entry says so), whatever its name;
    False for anything else, an Excel workbook or a damaged archive included."""
    if not data.startswith(ZIP_SIGNATURE):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _mimetype(archive) == ODS_MIMETYPE
    except ZIP_ERRORS:
        return False


def _open(data: bytes) -> ET.Element:
    not_ods = _("Le fichier n'est pas un tableur au format .ods valide.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = _mimetype(archive)
            info = archive.getinfo("content.xml")
            if mimetype != ODS_MIMETYPE:
                raise OdsFileError(not_ods)
            too_big = OdsFileError(
                _(
                    "Le contenu du fichier est trop volumineux une fois décompressé (%(size)s Mo au maximum) : "
                    "divisez la liste en plusieurs fichiers."
                )
                % {"size": MAX_CONTENT_BYTES // (1024 * 1024)}
            )
            if info.file_size > MAX_CONTENT_BYTES:
                raise too_big
            with archive.open(info) as stream:  # never more than the size announced (checked above)
                content = stream.read(MAX_CONTENT_BYTES + 1)
            if len(content) > MAX_CONTENT_BYTES:
                raise too_big
    except ZIP_ERRORS:
        raise OdsFileError(not_ods)
    content, _marked = imports.mark_control_bytes(content)
    try:
        root = ET.fromstring(content, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        raise OdsFileError(not_ods)
    table = root.find(f"{_O}body/{_O}spreadsheet/{_T}table")
    if table is None:
        raise OdsFileError(_("Le fichier ne contient aucune feuille de calcul."))
    return table


def read_candidates(data: bytes) -> ImportResult:
    """Check every line of an uploaded candidate list. Raises OdsFileError for a file-level problem."""
    table = _open(data)
    rows = _rows(table)
    first = next(rows, None)
    if first is None:
        raise OdsFileError(_("Le fichier est vide : il ne contient ni en-tête ni candidat."))
    header_line, header_cells = first
    result = ImportResult()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        letter = column_letter(index)
        if cell is _FORMULA:
            result.errors.append(
                LineError(header_line, letter, _("les formules ne sont pas acceptées dans l'en-tête."))
            )
            continue
        text = str(cell).strip()
        if not text:
            continue
        column = _HEADERS.get(_header_key(text))
        if column is None:
            result.errors.append(LineError(header_line, f"{letter} « {text} »", _("colonne inconnue.")))
        elif column.key in positions:
            result.errors.append(LineError(header_line, f"{letter} « {text} »", _("cette colonne apparaît deux fois.")))
        else:
            positions[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            result.errors.append(
                LineError(
                    header_line, "", _("la colonne obligatoire « %(column)s » est absente.") % {"column": column.header}
                )
            )
    if result.errors:
        return result

    seen: dict[tuple[str, date], int] = {}
    count = 0
    for line, cells in rows:
        count += 1
        if count > MAX_LINES:
            raise OdsFileError(
                _("Le fichier contient plus de %(max)s candidats : divisez-le en plusieurs sessions.")
                % {"max": MAX_LINES}
            )
        candidate = _check_line(line, cells, positions, result.errors)
        if candidate is None:
            continue
        key = (candidate.identity_key, candidate.birth_date)
        if key in seen:
            result.errors.append(
                LineError(
                    line,
                    "",
                    _("même nom de naissance, prénom et date de naissance que la ligne %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        result.rows.append(candidate)
    if count == 0:
        raise OdsFileError(_("Le fichier ne contient aucun candidat : la liste actuelle n'a pas été modifiée."))
    return result


def _where(key: str, positions: dict[str, int]) -> str:
    column = _BY_KEY[key]
    if key in positions:
        return f"{column_letter(positions[key])} « {column.label} »"
    return f"« {column.label} »"


def _check_line(
    line: int, cells: list[object], positions: dict[str, int], errors: list[LineError]
) -> CandidateData | None:
    raw: dict[str, str | None] = {}
    for key, index in positions.items():
        value = cells[index] if index < len(cells) else ""
        if value is _FORMULA:
            errors.append(
                LineError(line, _where(key, positions), _("les formules ne sont pas acceptées : saisissez la valeur."))
            )
            raw[key] = None
            continue
        control = imports.marked_control_character(str(value))
        if control is not None:
            errors.append(LineError(line, _where(key, positions), imports.control_character_message(control)))
            raw[key] = None
            continue
        raw[key] = str(value).strip()
    return candidate_from_cells(line, raw, lambda key: _where(key, positions), errors)


def candidate_from_cells(
    line: int,
    raw: dict[str, str | None],
    where: Callable[[str], str],
    errors: list[LineError],
) -> CandidateData | None:
    """One candidate from its cells' texts (None: a cell already refused), every rule checked;
    each mistake is appended to `errors` with its line and column. Shared by the session's list
    import and the mass import of sessions."""
    # A cell already refused (a formula, a control character) counts as a mistake of the line.
    before = len(errors) - sum(1 for text in raw.values() if text is None)
    values: dict[str, object] = {}
    for column in COLUMNS:
        text = raw.get(column.key, "")
        if text is None:
            continue
        if not text:
            if column.required:
                errors.append(LineError(line, where(column.key), _("cette case est obligatoire.")))
            values[column.key] = _EMPTY.get(column.key, "")
            continue
        limit = MAX_LENGTHS.get(column.key)
        if limit and len(text) > limit:
            errors.append(LineError(line, where(column.key), _("%(max)s caractères au maximum.") % {"max": limit}))
            continue
        try:
            values[column.key] = _convert(column.key, text)
        except RuleError as error:
            errors.append(LineError(line, where(column.key), str(error)))
    birth_date = values.get("birth_date")
    if len(errors) == before and isinstance(birth_date, date):  # (parse_date's: empty, it is "")
        problem = birth_date_error(birth_date)
        if problem:
            errors.append(LineError(line, where("birth_date"), problem))
    if len(errors) == before:
        place = {
            "country": str(values.get("birth_country", "")),
            "insee": str(values.get("birth_insee_code", "")).upper(),
            "postal": str(values.get("birth_postal_code", "")),
            "city": str(values.get("birth_city", "")),
        }
        for key, message in birthplace_errors(**place).items():
            errors.append(LineError(line, where(key), message))
        if len(errors) == before:
            values.update(clean_birthplace(**place))
    if len(errors) == before:
        problems = billing_errors(
            mode=str(values.get("billing_mode", "")), code=str(values.get("prepayment_code", "")), required=True
        )
        for key, message in problems.items():
            errors.append(LineError(line, where(key), message))
    if len(errors) != before or any(value is None for value in raw.values()):
        return None
    return CandidateData(**values)  # type: ignore[arg-type]


_EMPTY: dict[str, object] = {"extra_time_percentage": None, "needs_adjustment": False}


def _convert(key: str, text: str) -> object:
    if key == "birth_date":
        return parse_date(text)
    if key == "sex":
        return parse_sex(text)
    if key in {"email", "result_recipient_email"}:
        return parse_email(text)
    if key == "extra_time_percentage":
        return parse_extra_time(text)
    if key == "needs_adjustment":
        return parse_yes_no(text)
    if key == "billing_mode":
        return parse_billing_mode(text)
    if key in {"birth_insee_code", "birth_postal_code"} and text.isdigit() and len(text) < 5:
        return text.zfill(5)  # a code typed as a number lost its leading zero (01000)
    return text
