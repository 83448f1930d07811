"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) in pure Python.

`make run` and `make test` call it through `manage.py compile_catalogue`, and the test suite's
conftest calls it directly, so a fresh machine needs no GNU gettext (`msgfmt`): polib writes the
same binary format (fuzzy and obsolete entries left out, as msgfmt does). The `.mo` files are build
output, never committed. Writing goes through a temporary file and an atomic rename, so parallel
test workers compiling at once never read half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def compile_catalogues(locale_dir: Path | None = None, *, force: bool = False) -> list[Path]:
    """Compile every .po under `locale_dir` whose .mo is missing or older; returns the .mo written."""
    import polib

    written = []
    for po_path in sorted((locale_dir or BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            polib.pofile(str(po_path)).save_as_mofile(temporary)
            os.replace(temporary, mo_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(mo_path)
    return written
