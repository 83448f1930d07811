"""A school's roster as a CSV file: decoded, checked line by line, converted to `StudentData`.

Columns (any order, headers matched without case or accents): Classe, Nom, Prénom, Date de
naissance, Commune de naissance, Pays de naissance, INE. UTF-8 (with or without BOM) or
Windows-1252; separator `;` or `,`. Nothing is returned unless every line is valid.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pixcertif import imports
from sessions_app.enrolment_rules import RuleError, StudentData, birth_date_error, parse_date
from sessions_app.normalize import normalize_name

MAX_LINES = 10_000
COLUMNS: list[tuple[str, str, bool]] = [
    # key, header, required
    ("division", "Classe", True),
    ("last_name", "Nom", True),
    ("first_name", "Prénom", True),
    ("birth_date", "Date de naissance", True),
    ("birth_city", "Commune de naissance", False),
    ("birth_country", "Pays de naissance", False),
    ("ine", "INE", True),
]
_BY_HEADER = {normalize_name(header): (key, header, required) for key, header, required in COLUMNS}
_INE = re.compile(r"^[0-9A-Z]{11}$")
LIMITS = {"division": 64, "last_name": 255, "first_name": 255, "birth_city": 255, "birth_country": 255}


class StudentsFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class StudentsResult:
    rows: list[StudentData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: try Windows-1252 next
        return data.decode("utf-8")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise StudentsFileError(_("L'encodage du fichier n'est pas reconnu : enregistrez-le en UTF-8 ou Windows-1252."))


def read_students(data: bytes) -> StudentsResult:
    """Check every line; raise StudentsFileError when the file itself is unusable."""
    text = decode(data)
    if not text.strip():
        raise StudentsFileError(_("Le fichier est vide."))
    control = imports.find_control_character(text)
    if control is not None:
        line, column, char = control
        raise StudentsFileError(
            _("Ligne %(line)s, colonne %(column)s : %(message)s")
            % {"line": line, "column": column, "message": imports.control_character_message(char)}
        )
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result = StudentsResult()
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except (StopIteration, csv.Error):
        raise StudentsFileError(_("Le fichier ne contient pas de ligne d'en-tête."))
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip()
        if not name:
            continue
        known = _BY_HEADER.get(normalize_name(name))
        if known is None:
            result.errors.append(
                _("Ligne %(line)s : colonne inconnue « %(column)s ».") % {"line": reader.line_num, "column": name}
            )
        elif known[0] in positions:
            result.errors.append(
                _("Ligne %(line)s : la colonne « %(column)s » apparaît deux fois.")
                % {"line": reader.line_num, "column": name}
            )
        else:
            positions[known[0]] = index
    for key, header_name, required in COLUMNS:
        if required and key not in positions:
            result.errors.append(
                _("Ligne %(line)s : la colonne obligatoire « %(column)s » est absente.")
                % {"line": reader.line_num, "column": header_name}
            )
    if result.errors:
        return result

    seen_ine: dict[str, int] = {}
    count = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_LINES:
                raise StudentsFileError(_("Le fichier contient plus de %(max)s élèves.") % {"max": MAX_LINES})
            student = _check_line(line, cells, positions, result.errors)
            if student is None:
                continue
            if student.ine in seen_ine:
                result.errors.append(
                    _("Ligne %(line)s : l'INE « %(ine)s » figure déjà ligne %(first)s.")
                    % {"line": line, "ine": student.ine, "first": seen_ine[student.ine]}
                )
                continue
            seen_ine[student.ine] = line
            result.rows.append(student)
    except csv.Error as error:
        raise StudentsFileError(
            _("Ligne %(line)s : le fichier CSV est mal formé (%(error)s).") % {"line": reader.line_num, "error": error}
        )
    if count == 0:
        raise StudentsFileError(_("Le fichier ne contient aucun élève."))
    return result


def _at(line: int, header: str, message: object) -> str:
    return _("Ligne %(line)s, colonne « %(column)s » : %(message)s") % {
        "line": line,
        "column": header,
        "message": message,
    }


def _check_line(line: int, cells: list[str], positions: dict[str, int], errors: list[str]) -> StudentData | None:
    before = len(errors)
    values: dict[str, object] = {}
    for key, header, required in COLUMNS:
        index = positions.get(key)
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        if not value:
            if required:
                errors.append(_at(line, header, _("cette case est obligatoire.")))
            values[key] = ""
            continue
        limit = LIMITS.get(key)
        if limit and len(value) > limit:
            errors.append(_at(line, header, _("%(max)s caractères au maximum.") % {"max": limit}))
            continue
        if key == "birth_date":
            try:
                birth = parse_date(value)
            except RuleError as error:
                errors.append(_at(line, header, error))
                continue
            problem = birth_date_error(birth)
            if problem:
                errors.append(_at(line, header, problem))
                continue
            values[key] = birth
        elif key == "ine":
            ine = value.upper().replace(" ", "")
            if not _INE.match(ine):
                errors.append(
                    _("Ligne %(line)s : l'INE « %(ine)s » doit comporter 11 caractères (chiffres et lettres).")
                    % {"line": line, "ine": value}
                )
                continue
            values[key] = ine
        elif key == "division":
            values[key] = value.upper()
        else:
            values[key] = value
    if len(errors) != before:
        return None
    return StudentData(**values)  # type: ignore[arg-type]
