"""Name normalisation used to match candidates (case, accents, spaces, hyphens, apostrophes)."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑–—'’`´]+")


def normalize_name(value: str) -> str:
    """'  Jean-Émile  D’Ávila ' → 'jean emile d avila'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = without_accents.casefold()
    return _SEPARATORS.sub(" ", lowered).strip()


def identity_key(first_name: str, last_name: str) -> str:
    """The key two candidates of one session may not share (with the birth date)."""
    return f"{normalize_name(last_name)}|{normalize_name(first_name)}"
