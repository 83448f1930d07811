"""The largest candidate lists the import accepts, and what reading them costs (time, peak memory).

Run by hand: `.venv/bin/python bench/import_limits.py`. Measures `read_candidates` (read + check
every line, no database) on the 5,000-line list (MAX_LINES) and on a file whose content.xml is just
under MAX_CONTENT_BYTES; then shows that a bomb past the cap is refused at once.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
import tracemalloc
import zipfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixcertif.settings_test")

import django

django.setup()

RUNS = 3


def padded(data: bytes, size: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    content = source.read("content.xml")
    content = content.replace(b"<office:body>", b"<office:body>" + b" " * (size - len(content)), 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = content if info.filename == "content.xml" else source.read(info)
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, body, compress_type=method)
    return out.getvalue()


def measure(label: str, data: bytes) -> None:
    from sessions_app import ods

    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        try:
            result = ods.read_candidates(data)
            outcome = f"{len(result.rows)} candidates, {len(result.errors)} errors"
        except ods.OdsFileError as error:
            outcome = f"refused: {error}"
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    with contextlib.suppress(ods.OdsFileError):
        ods.read_candidates(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    inflated = zipfile.ZipFile(io.BytesIO(data)).getinfo("content.xml").file_size
    print(
        f"{label}: {len(data) / 1024:.0f} KiB zipped, content.xml {inflated / 2**20:.1f} MiB; {outcome}; "
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s; peak Python memory {peak / 2**20:.0f} MiB"
    )


def main() -> None:
    from bench.import_candidates import build_rows
    from sessions_app import ods

    rows = build_rows(ods.MAX_LINES)
    for i, row in enumerate(rows):  # every line valid: birth dates within 1970-2010
        row.birth_date = date(1970, 1, 1) + timedelta(days=i % 14600)
    full = ods.write_candidates(rows)
    measure(f"{ods.MAX_LINES} lines (MAX_LINES)", full)
    small = ods.write_candidates(build_rows(10))
    measure("10 lines padded to the cap", padded(small, ods.MAX_CONTENT_BYTES - 1024))
    measure("10 lines padded to 50 MiB (bomb)", padded(small, 50 * 2**20))


if __name__ == "__main__":
    main()
