"""Usernames ("identifiant") of accounts without an e-mail address, and the key login throttling counts.

A username is `prénom.nom` + day and month of birth (`sophie.delarue0407`), lower case, without
accents or other characters; when taken, a number is added (`sophie.delarue04072`). It never
contains "@", so the login field tells a username from an e-mail address.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date

from pixcertif.accounts.models import USERNAME_MAX_LENGTH, User

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
# One-time passwords are read from paper: no 0/O, 1/l/I.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_LENGTH = 10


def _part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return _NOT_ALLOWED.sub("", ascii_text.lower())


def base_username(first_name: str, last_name: str, birth_date: date) -> str:
    """`Sophie`, `De La Rue`, 04/07/2001 → `sophie.delarue0407` (at most 60 characters)."""
    first, last = _part(first_name) or "eleve", _part(last_name) or "eleve"
    suffix = f"{birth_date.day:02d}{birth_date.month:02d}"
    room = USERNAME_MAX_LENGTH - 4 - len(suffix) - 1  # keep room for a counter
    first = first[: room // 2]
    last = last[: room - len(first)]
    return f"{first}.{last}{suffix}"


def unique_usernames(bases: Iterable[str]) -> list[str]:
    """One free username per base, in order (several pupils may share a base): `base`, `base2`…"""
    bases = list(bases)
    taken: set[str] = set()
    for base in set(bases):
        taken.update(
            name.lower()
            for name in User.objects.filter(username__istartswith=base).values_list("username", flat=True)
            if name is not None  # (a NULL username never matches istartswith)
        )
    result = []
    for base in bases:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        result.append(candidate)
    return result


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


def login_key(value: str) -> str:
    """The login field as throttling counts it: the account it designates (an e-mail address and
    a username of the same account share one counter), else the typed text normalised."""
    typed = (value or "").strip().lower()
    if not typed:
        return ""
    lookup = {"email__iexact": typed} if "@" in typed else {"username__iexact": typed}
    pk = User.objects.filter(**lookup).values_list("pk", flat=True).first()
    return f"compte:{pk}" if pk is not None else typed


def axes_username(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the login field, whatever was typed in it (e-mail or username)."""
    if credentials and credentials.get("username"):
        return login_key(str(credentials["username"]))
    data = getattr(request, "POST", None) or {}
    return login_key(str(data.get("username", "")))
