"""Time the ODS candidate import on a 2,000-line file: reading + checking, then the database write.

Run by hand: `.venv/bin/python bench/import_candidates.py` (SQLite in memory by default;
DATABASE_URL=postgres://… to measure on PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixcertif.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LINES = 2000


def build_rows(n: int) -> list[SimpleNamespace]:
    start = date(1970, 1, 1)
    return [
        SimpleNamespace(
            last_name=f"Nom{i:05d}",
            first_name="Camille" if i % 2 else "Jean-Émile",
            sex="F" if i % 2 else "M",
            birth_date=start + timedelta(days=i * 7),
            birth_country="FRANCE" if i % 10 else "BELGIQUE",
            birth_insee_code="75056" if i % 10 else "",
            birth_postal_code="",
            birth_city="Paris" if i % 10 else "Bruxelles",
            external_id=f"ID-{i}",
            email=f"candidat{i}@example.org",
            result_recipient_email="formateur@example.org",
            extra_time_percentage=33 if i % 15 == 0 else None,
            needs_adjustment=i % 40 == 0,
            billing_mode="prepaid" if i % 7 == 0 else "free",
            prepayment_code=f"PRE-{i}" if i % 7 == 0 else "",
        )
        for i in range(n)
    ]


def main() -> None:
    from sessions_app import ods
    from sessions_app.services.enrolment import candidates_replace_from_import
    from tests.factories import CenterFactory, SessionFactory, UserFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("check", verbosity=0)
        t0 = time.perf_counter()
        data = ods.write_candidates(build_rows(LINES))
        t1 = time.perf_counter()
        result = ods.read_candidates(data)
        t2 = time.perf_counter()
        assert result.is_valid, result.errors[:5]
        session = SessionFactory(center=CenterFactory(type="PRO"))
        user = UserFactory()
        count = candidates_replace_from_import(session=session, rows=result.rows, by=user)
        t3 = time.perf_counter()
        count_again = candidates_replace_from_import(session=session, rows=result.rows, by=user)
        t4 = time.perf_counter()
        print(f"database: {connection.vendor}")
        print(f"file: {LINES} lines, {len(data) / 1024:.0f} KiB")
        print(f"write ODS:              {t1 - t0:6.2f} s")
        print(f"read + check every line:{t2 - t1:6.2f} s")
        print(f"import ({count} rows):     {t3 - t2:6.2f} s")
        print(f"re-import (replace {count_again}): {t4 - t3:6.2f} s")
        print(f"validation + import:    {t3 - t1:6.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
