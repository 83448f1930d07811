"""Time the mass import of sessions: 2,000 candidates over 100 sessions, step 1 then step 2.

Run by hand: `.venv/bin/python bench/mass_import.py` (SQLite in memory by default;
DATABASE_URL=postgres://… to measure on PostgreSQL). Each round builds the CSV, validates it
(step 1, the summary's data), stages it and finalises it (step 2, one transaction); the round's
sessions are then deleted. Prints min and median of ROUNDS rounds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixcertif.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SESSIONS = 100
PER_SESSION = 20
ROUNDS = 5


def build_csv() -> bytes:
    from django.utils import timezone

    from pixcertif import exports
    from sessions_app import mass_import

    day = timezone.localdate() + timedelta(days=14)
    rows = [[c.header for c in mass_import.COLUMNS]]
    start = date(1970, 1, 1)
    for s in range(SESSIONS):
        for c in range(PER_SESSION):
            i = s * PER_SESSION + c
            values = {
                "address": f"Site {s % 5}",
                "room": f"Salle {s}",
                "date": f"{day + timedelta(days=s % 30):%d/%m/%Y}",
                "time": "09:00" if s % 2 else "14:00",
                "examiner": "Camille Martin, Jean Dupont",
                "last_name": f"Nom{i:05d}",
                "first_name": "Camille" if i % 2 else "Jean-Émile",
                "sex": "F" if i % 2 else "M",
                "birth_date": f"{start + timedelta(days=i * 7):%d/%m/%Y}",
                "birth_country": "FRANCE" if i % 10 else "BELGIQUE",
                "birth_insee_code": "75056" if i % 10 else "",
                "birth_city": "Paris" if i % 10 else "Bruxelles",
                "email": f"candidat{i}@example.org",
                "extra_time_percentage": "33" if i % 15 == 0 else "",
                "needs_adjustment": "oui" if i % 40 == 0 else "non",
                "billing_mode": "Prépayée" if i % 7 == 0 else "Payante",
                "prepayment_code": f"PRE-{i}" if i % 7 == 0 else "",
            }
            rows.append([values.get(c.key, "") for c in mass_import.COLUMNS])
    return exports.csv_bytes(rows)


def main() -> None:
    from sessions_app import mass_import
    from sessions_app.models import Session
    from sessions_app.services.mass_import import session_import_finalise, session_import_stage
    from tests.factories import CenterFactory, UserFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("check", verbosity=0)
        center = CenterFactory(type="PRO")
        user = UserFactory()
        data = build_csv()
        step1: list[float] = []
        step2: list[float] = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            validation = mass_import.validate_file(data, center=center)
            assert validation.is_valid, validation.errors[:5]
            staged = session_import_stage(center=center, by=user, filename="bench.csv", validation=validation)
            t1 = time.perf_counter()
            ids = session_import_finalise(staged=staged, by=user)
            t2 = time.perf_counter()
            assert len(ids) == SESSIONS
            step1.append(t1 - t0)
            step2.append(t2 - t1)
            Session.objects.filter(pk__in=ids).delete()
        print(f"database: {connection.vendor}")
        print(f"file: {SESSIONS} sessions, {SESSIONS * PER_SESSION} candidates, {len(data) / 1024:.0f} KiB CSV")
        for label, times in (("step 1 (read + check + stage)", step1), ("step 2 (create, one transaction)", step2)):
            print(f"{label:34s} min {min(times):5.2f} s   median {statistics.median(times):5.2f} s")
        total = [a + b for a, b in zip(step1, step2, strict=True)]
        print(f"{'both steps':34s} min {min(total):5.2f} s   median {statistics.median(total):5.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
