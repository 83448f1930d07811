"""Time `manage.py verify_audit` on 100,000 chained audit rows (min and median of 5 runs).

Run by hand: `.venv/bin/python bench/audit_chain.py` (a throw-away SQLite test database by default;
DATABASE_URL=postgres://… to measure on PostgreSQL).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixcertif.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ROWS = 100_000
RUNS = 5


def fill(n: int) -> None:
    from pixcertif.core import chain
    from pixcertif.core.models import AuditEvent

    start = timezone.now()
    previous = ""
    batch = []
    for i in range(n):
        event = AuditEvent(
            at=start + timedelta(milliseconds=i),
            action="candidate.presence_confirmed",
            actor_label="Anne Petit <anne.petit@college.example>",
            session_id_ref=1 + i // 500,
            candidate_id_ref=i,
            data={"present": True, "step": i},
            prev_hash=previous,
        )
        event.hash = chain.event_hash(event)
        previous = event.hash
        batch.append(event)
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        fill(ROWS)
        times = []
        for _ in range(RUNS):
            out = io.StringIO()
            t0 = time.perf_counter()
            call_command("verify_audit", stdout=out)
            times.append(time.perf_counter() - t0)
        print(f"database: {connection.vendor}; {out.getvalue().strip()}")
        print(f"verify_audit on {ROWS:,} rows: min {min(times):.2f} s, median {statistics.median(times):.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
