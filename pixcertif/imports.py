"""What every import (roster CSV, candidate list ODS) refuses before reading a value: control characters.

A NUL byte or another C0 control character (tab, line feed and carriage return excepted) is never
part of a name, a date or an e-mail: it comes from a broken export or a crafted file, and PostgreSQL
refuses a NUL in a text column (a 500 if it got that far). It is refused with where it is.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Inside an ODS's XML a control byte would make the parser reject the whole file: each one is
# replaced by a private-use character (U+E000 + the byte) so that the cell holding it is reported by
# its line and column. UTF-8 never uses these bytes inside a multi-byte character.
_MARK_BASE = 0xE000


def control_character_message(char: str) -> str:
    return _(
        "caractère de contrôle interdit (U+%(code)04X) : retapez cette valeur ou enregistrez le fichier à nouveau."
    ) % {"code": ord(char)}


def find_control_character(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first control character in `text`, both counted from 1."""
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    start = match.start()
    prefix = text[:start]
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
    line_start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return line, start - line_start + 1, match.group()


def mark_control_bytes(content: bytes) -> tuple[bytes, bool]:
    """`content` with each control byte replaced by its mark; whether there was any."""
    marked, count = _CONTROL_BYTES.subn(lambda m: chr(_MARK_BASE + m.group()[0]).encode("utf-8"), content)
    return marked, count > 0


_MARKS = re.compile("[\ue000-\ue008\ue00b\ue00c\ue00e-\ue01f\ue07f]")


def marked_control_character(text: str) -> str | None:
    """The control character a mark in `text` stands for (see mark_control_bytes), if any."""
    match = _MARKS.search(text)
    return chr(ord(match.group()) - _MARK_BASE) if match else None
