"""Session and certificate codes, drawn from a cryptographically secure generator (`secrets`), never `random`."""

from __future__ import annotations

import re
import secrets

ACCESS_CODE_LETTERS = "BCDFGHJKMPQRTVWXY"
ACCESS_CODE_DIGITS = "2346789"
PASSWORD_ALPHABET = "2346789BCDFGHJKMPQRTVWXY"
PASSWORD_LENGTH = 5
PASSWORD_PREFIX = "C-"
# A certificate's verification code: "P-" + 8 characters without ambiguous ones (no 0/O, 1/I/L, 5/S…).
VERIFICATION_PREFIX = "P-"
VERIFICATION_ALPHABET = "2346789BCDFGHJKMPQRTVWXY"
VERIFICATION_LENGTH = 8

ACCESS_CODE_RE = re.compile(rf"^[{ACCESS_CODE_LETTERS}]{{4}}[{ACCESS_CODE_DIGITS}]{{2}}$")
PASSWORD_RE = re.compile(rf"^[{PASSWORD_ALPHABET}]{{{PASSWORD_LENGTH}}}$")


def generate_access_code() -> str:
    """4 upper-case letters then 2 digits, e.g. TQVF63."""
    letters = "".join(secrets.choice(ACCESS_CODE_LETTERS) for _ in range(4))
    digits = "".join(secrets.choice(ACCESS_CODE_DIGITS) for _ in range(2))
    return letters + digits


def generate_invigilator_password() -> str:
    """5 characters; shown with the C- prefix (C-24WB4). Stored without it."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def generate_verification_code() -> str:
    """ "P-" + 8 characters, e.g. P-7KQ2MXBD (drawn at publication, `finalisation.jury.services`)."""
    return VERIFICATION_PREFIX + "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))


def normalize_access_code(value: str) -> str:
    return (value or "").strip().upper()


def normalize_invigilator_password(value: str) -> str:
    """Accept 'C-24WB4', 'c-24wb4', ' 24WB4 ' alike."""
    cleaned = (value or "").strip().upper().replace(" ", "")
    if cleaned.startswith(PASSWORD_PREFIX):
        cleaned = cleaned[len(PASSWORD_PREFIX) :]
    return cleaned
