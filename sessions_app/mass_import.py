"""Mass import of sessions ("Créer/éditer plusieurs sessions"): the template, the reader, step 1.

One line per candidate, the session's columns repeated on each of its lines; a line whose
candidate columns are all empty is a session without candidate. Lines with the same site, room,
date and time are one session. A line with a "Numéro de session préexistante" fills that session
of the centre (its other session columns, when given, change it), while it has not started.

Step 1 (`validate_file`) reads a CSV or an ODS file, checks every line and returns either every
error with its line and column, or the payload that step 2 (`services.mass_import`) creates in one
transaction. Nothing here writes to the database.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pixcertif import exports, imports
from sessions_app import ods
from sessions_app.enrolment_rules import CandidateData
from sessions_app.ods import COLUMNS as CANDIDATE_COLUMNS
from sessions_app.ods import Column, LineError, column_letter

MAX_LINES = 10_000
MAX_LINES_LABEL = "10 000"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILE_LABEL = "5 Mo"
MAX_COLUMNS = 64
LENGTHS = {"address": 255, "room": 255, "examiner": 1000, "description": 2000}
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})(?::\d{2})?$")

SESSION_COLUMNS: list[Column] = [
    Column("number", "Numéro de session préexistante", False, ("numero de session", "numero de session existante")),
    Column("address", "Nom du site", True, ("site",)),
    Column("room", "Nom de la salle", True, ("salle",)),
    Column("date", "Date de début (jj/mm/aaaa)", True, ("date de debut", "date de la session")),
    Column("time", "Heure de début (hh:mm)", True, ("heure de debut", "heure de debut heure locale")),
    Column("examiner", "Surveillant(s)", True, ("surveillants", "surveillant")),
    Column("description", "Observations", False, ("observations optionnel",)),
]
COLUMNS: list[Column] = SESSION_COLUMNS + CANDIDATE_COLUMNS
_SESSION_KEYS = [c.key for c in SESSION_COLUMNS]
_CANDIDATE_KEYS = [c.key for c in CANDIDATE_COLUMNS]
_HEADERS: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.aliases):
        _HEADERS[ods._header_key(_name)] = _column


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is French."""


@dataclass
class Validation:
    errors: list[LineError] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)  # the payload, JSON-ready

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def empty_session_count(self) -> int:
        return sum(1 for s in self.sessions if not s["candidates"])

    @property
    def candidate_count(self) -> int:
        return sum(len(s["candidates"]) for s in self.sessions)


def summary(*, sessions: int, empty: int, candidates: int) -> str:
    """ "5 sessions dont 1 sans candidat · 72 candidats"."""
    text = ngettext("%(n)s session", "%(n)s sessions", sessions) % {"n": sessions}
    if empty:
        text += ngettext(" dont %(n)s sans candidat", " dont %(n)s sans candidat", empty) % {"n": empty}
    return text + ngettext(" · %(n)s candidat", " · %(n)s candidats", candidates) % {"n": candidates}


# ---------------------------------------------------------------- the template


def template_rows() -> list[list[str]]:
    """The header and two example lines (a session with a candidate, a session without any)."""
    in_a_week = timezone.localdate() + dt.timedelta(days=7)
    example = {
        "address": "Site principal",
        "room": "Salle 1",
        "date": f"{in_a_week:%d/%m/%Y}",
        "time": "09:00",
        "examiner": "Camille Martin",
        "last_name": "Durand",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": "12/04/1988",
        "birth_country": "FRANCE",
        "birth_insee_code": "69123",
        "birth_city": "Lyon",
        "needs_adjustment": "non",
        "billing_mode": "Gratuite",
    }
    empty_session = {**{k: example[k] for k in ("address", "date", "examiner")}, "room": "Salle 2", "time": "14:00"}
    return [
        [c.header for c in COLUMNS],
        [example.get(c.key, "") for c in COLUMNS],
        [empty_session.get(c.key, "") for c in COLUMNS],
    ]


def template_csv() -> bytes:
    return exports.csv_bytes(template_rows())


def template_ods() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sessions")
    for values in template_rows():
        row = TableRow()
        for value in values:
            row.addElement(exports.ods_cell(value))
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading the file


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise ImportFileError(
            _("L'encodage du fichier n'est pas reconnu (UTF-16 ?) : enregistrez-le en CSV UTF-8 ou en .ods.")
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: Windows-1252 next
        return data.decode("utf-8")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("L'encodage du fichier n'est pas reconnu : enregistrez-le en UTF-8 ou Windows-1252, ou en .ods.")
        ) from None


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            cells = cells[:MAX_COLUMNS]
            if any(cell.strip() for cell in cells):
                yield reader.line_num, list(cells)
    except csv.Error as error:
        raise ImportFileError(
            _("Le fichier CSV est mal formé (ligne %(line)s) : %(error)s.") % {"line": reader.line_num, "error": error}
        ) from None


def _table_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    """(line, cells) of the non-empty lines of a CSV or ODS file, whatever its name says."""
    if data.startswith(ods.ZIP_SIGNATURE):
        if not ods.is_ods(data):
            raise ImportFileError(
                _(
                    "Ce fichier est un classeur Excel (.xlsx) ou une archive, pas un fichier CSV ou ODS : "
                    "enregistrez-le au format .csv ou .ods."
                )
            )
        try:
            yield from ods._rows(ods._open(data))
        except ods.OdsFileError as error:
            raise ImportFileError(str(error)) from None
        return
    yield from _csv_rows(data)


def _control_character(text: str) -> str | None:
    """A control character in a cell (an ODS's are marked when the file is opened: imports)."""
    marked = imports.marked_control_character(text)
    if marked is not None:
        return marked
    match = imports.CONTROL_CHARACTERS.search(text)
    return match.group() if match else None


def _formula_or_text(value: object) -> str | None:
    """The cell's text; None for a formula (an ODS formula, or text a spreadsheet would run)."""
    if value is ods._FORMULA:
        return None
    text = str(value).strip()
    return None if exports.safe_cell(text) != text else text


# ---------------------------------------------------------------- step 1: checking every line


def _parse_session_time(text: str) -> dt.time | None:
    match = _TIME.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def validate_file(data: bytes, *, center) -> Validation:
    """Read and check the whole file for `center` (raises ImportFileError for a file-level problem)."""
    if not data:
        raise ImportFileError(_("Le fichier est vide."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("Le fichier est trop volumineux : la taille maximale est de %(max)s.") % {"max": MAX_FILE_LABEL}
        )
    rows = _table_rows(data)
    first = next(rows, None)
    if first is None:
        raise ImportFileError(_("Le fichier est vide : il ne contient ni en-tête ni ligne."))
    header_line, header_cells = first
    result = Validation()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_cells[:MAX_COLUMNS]):
        letter = column_letter(index)
        text = _formula_or_text(cell)
        if text is None:
            result.errors.append(
                LineError(header_line, letter, _("les formules ne sont pas acceptées dans l'en-tête."))
            )
            continue
        if not text:
            continue
        column = _HEADERS.get(ods._header_key(text))
        if column is None:
            result.errors.append(LineError(header_line, f"{letter} « {text[:60]} »", _("colonne inconnue.")))
        elif column.key in positions:
            result.errors.append(
                LineError(header_line, f"{letter} « {text[:60]} »", _("cette colonne apparaît deux fois."))
            )
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

    def where(key: str) -> str:
        column = next(c for c in COLUMNS if c.key == key)
        if key in positions:
            return f"{column_letter(positions[key])} « {column.label} »"
        return f"« {column.label} »"

    groups: dict[tuple, dict[str, Any]] = {}
    numbers: dict[int, int] = {}  # existing session number → first line
    count = 0
    for line, cells in rows:
        count += 1
        if count > MAX_LINES:
            raise ImportFileError(
                _(
                    "Le fichier contient plus de %(max)s lignes : la limite est de %(max)s "
                    "lignes par import. Divisez-le en plusieurs fichiers."
                )
                % {"max": MAX_LINES_LABEL}
            )
        raw: dict[str, str | None] = {}
        for cell_key, index in positions.items():
            value = cells[index] if index < len(cells) else ""
            text = _formula_or_text(value)
            if text is None:
                result.errors.append(
                    LineError(line, where(cell_key), _("les formules ne sont pas acceptées : saisissez la valeur."))
                )
            elif (control := _control_character(text)) is not None:
                result.errors.append(LineError(line, where(cell_key), imports.control_character_message(control)))
                text = None
            raw[cell_key] = text
        session = _check_session(line, raw, where, result.errors)
        has_candidate = any(raw.get(k) for k in _CANDIDATE_KEYS if k in positions) or any(
            raw.get(k) is None for k in _CANDIDATE_KEYS if k in positions
        )
        candidate = None
        if has_candidate:  # checked even when the session columns are wrong: every error is listed
            candidate = ods.candidate_from_cells(
                line, {k: raw.get(k, "") for k in _CANDIDATE_KEYS}, where, result.errors
            )
        if session is None:
            continue
        if session["number"] is not None:
            key: tuple = ("number", session["number"])
            numbers.setdefault(session["number"], line)
        else:
            fields = session["fields"]
            key = ("new", fields["address"].casefold(), fields["room"].casefold(), fields["date"], fields["time"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = {**session, "candidates": [], "identities": {}}
        elif group["fields"] != session["fields"]:
            result.errors.append(
                LineError(
                    line,
                    "",
                    _(
                        "les informations de la session diffèrent de celles de la ligne %(line)s "
                        "(même session : mêmes surveillants et observations attendus)."
                    )
                    % {"line": group["line"]},
                )
            )
            continue
        if candidate is None:
            continue  # a session line without candidate, or a candidate in error (reported)
        identity = (candidate.identity_key, candidate.birth_date)
        if identity in group["identities"]:
            result.errors.append(
                LineError(
                    line,
                    "",
                    _("même nom de naissance, prénom et date de naissance que la ligne %(line)s dans la même session.")
                    % {"line": group["identities"][identity]},
                )
            )
            continue
        group["identities"][identity] = line
        group["candidates"].append({"line": line, **_json(candidate)})
    if count == 0:
        raise ImportFileError(_("Le fichier ne contient que l'en-tête : aucune session à importer."))
    _check_existing(center, groups, numbers, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return result
    for group in groups.values():
        group.pop("identities")
        result.sessions.append(group)
    return result


def _check_session(line: int, raw: dict[str, str | None], where, errors: list[LineError]) -> dict[str, Any] | None:
    before = len(errors)
    number: int | None = None
    text = raw.get("number") or ""
    if text:
        if not text.isdigit() or not 0 < int(text) < 2**63:
            errors.append(
                LineError(line, where("number"), _("« %(value)s » n'est pas un numéro de session.") % {"value": text})
            )
        else:
            number = int(text)
    values = {key: raw.get(key) for key in _SESSION_KEYS if key != "number"}
    if any(value is None for value in values.values()):
        return None  # a refused cell was already reported
    if number is not None and not any(values.values()):
        return {"line": line, "number": number, "fields": None} if len(errors) == before else None
    fields: dict[str, Any] = {}
    for key in ("address", "room", "examiner", "description"):
        value = values[key] or ""
        if not value and key != "description":
            errors.append(LineError(line, where(key), _("cette case est obligatoire.")))
        elif len(value) > LENGTHS[key]:
            errors.append(LineError(line, where(key), _("%(max)s caractères au maximum.") % {"max": LENGTHS[key]}))
        fields[key] = value
    date_text = values["date"] or ""
    if not date_text:
        errors.append(LineError(line, where("date"), _("cette case est obligatoire.")))
    else:
        try:
            day = ods.parse_date(date_text)
        except ods.RuleError as error:
            errors.append(LineError(line, where("date"), str(error)))
        else:
            if not 2000 <= day.year <= 2099:
                errors.append(
                    LineError(
                        line,
                        where("date"),
                        _("« %(value)s » n'est pas une date de session valide.") % {"value": date_text},
                    )
                )
            elif day < timezone.localdate():
                errors.append(
                    LineError(line, where("date"), _("une session ne peut pas être programmée dans le passé."))
                )
            fields["date"] = day.isoformat()
    time_text = values["time"] or ""
    if not time_text:
        errors.append(LineError(line, where("time"), _("cette case est obligatoire.")))
    else:
        start = _parse_session_time(time_text)
        if start is None:
            errors.append(
                LineError(
                    line,
                    where("time"),
                    _("« %(value)s » n'est pas une heure valide (format attendu : hh:mm).") % {"value": time_text},
                )
            )
        else:
            fields["time"] = f"{start:%H:%M}"
    if len(errors) != before:
        return None
    return {"line": line, "number": number, "fields": fields}


def _check_existing(center, groups: dict[tuple, dict[str, Any]], numbers: dict[int, int], errors) -> None:
    """Existing sessions: this centre's, not started, not finalised; no candidate enrolled twice."""
    from sessions_app.models import Candidate, Session

    if not numbers:
        return
    found = {s.pk: s for s in Session.objects.filter(center=center, pk__in=list(numbers))}
    enrolled: dict[int, set[tuple[str, dt.date]]] = {}
    for session_id, key, birth in Candidate.objects.filter(session_id__in=list(found)).values_list(
        "session_id", "identity_key", "birth_date"
    ):
        enrolled.setdefault(session_id, set()).add((key, birth))
    for number, line in numbers.items():
        session = found.get(number)
        where = "« Numéro de session préexistante »"  # the file's column, French in both languages
        if session is None:  # another centre's session says the same: it does not exist for this centre
            errors.append(
                LineError(line, where, _("la session %(number)s n'existe pas dans votre centre.") % {"number": number})
            )
        elif session.is_locked_for_center:
            errors.append(
                LineError(
                    line,
                    where,
                    _("la session %(number)s est finalisée : elle ne peut plus être modifiée.") % {"number": number},
                )
            )
        elif session.is_started:
            errors.append(
                LineError(
                    line,
                    where,
                    _("la session %(number)s a déjà débuté : ses candidats ne peuvent plus être modifiés.")
                    % {"number": number},
                )
            )
        else:
            group = groups[("number", number)]
            for identity, candidate_line in group["identities"].items():
                if identity in enrolled.get(number, set()):
                    errors.append(
                        LineError(
                            candidate_line,
                            "",
                            _("ce candidat est déjà inscrit à la session %(number)s.") % {"number": number},
                        )
                    )


def _json(candidate: CandidateData) -> dict[str, Any]:
    values = asdict(candidate)
    values["birth_date"] = candidate.birth_date.isoformat()
    return values


def candidate_of(values: dict[str, Any]) -> CandidateData:
    """A stored payload candidate back to CandidateData."""
    data = {k: v for k, v in values.items() if k != "line"}
    data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    return CandidateData(**data)
