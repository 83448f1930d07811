"""Time the class certificates PDF (results by class) for 150 pupils.

    .venv/bin/python bench/class_certificates.py [--pupils 150] [--repeat 5]

Runs on a throw-away in-memory SQLite database (migrated at start): one school, one published
session of N validated pupils of class "3EME A" (16 competences each), then N timings of
`pupil_results` + `class_certificates_pdf` (query, templates, WeasyPrint), as the download view
does. Prints min and median; pypdf checks the page count. Target: well under 10 s for 150 pupils.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "pixcertif.settings_test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from finalisation.results.classes import class_certificates_pdf, pupil_results  # noqa: E402
from pixcertif.accounts.models import CertificationCenter, User  # noqa: E402
from sessions_app.competences import COMPETENCE_CODES  # noqa: E402
from sessions_app.models import Candidate, Certification, Session, Student  # noqa: E402
from sessions_app.normalize import identity_key  # noqa: E402

FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Noé", "Zoé", "Jules", "Anaïs", "Louis"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]


def make_class(pupils: int) -> CertificationCenter:
    center = CertificationCenter.objects.create(name="Collège du banc d'essai", type="SCO")
    now = timezone.now()
    session = Session.objects.create(
        center=center,
        address="Collège du banc d'essai",
        room="Salle 1",
        date=dt.date(2026, 6, 15),
        time=dt.time(9, 0),
        examiner="Mme Dupont",
        access_code="BCDF22",
        invigilator_password="24WB4",
        status="published",
        started_at=now,
        finalized_at=now,
        published_at=now,
    )
    levels = {code: 1 + i % 6 for i, code in enumerate(COMPETENCE_CODES)}
    for i in range(pupils):
        first, last = FIRST_NAMES[i % 10], f"{LAST_NAMES[i % 10]}-{i:03d}"
        user = User.objects.create_user(email=f"eleve{i}@bench.test", first_name=first, last_name=last)
        student = Student.objects.create(
            center=center,
            division="3EME A",
            last_name=last,
            first_name=first,
            birth_date=dt.date(2011, 1, 1),
            birth_city="Lyon",
            ine=f"{i:09d}AB",
        )
        candidate = Candidate.objects.create(
            session=session,
            last_name=last,
            first_name=first,
            birth_date=dt.date(2011, 1, 1),
            birth_city="Lyon",
            student=student,
            user=user,
            identity_key=identity_key(first, last),
        )
        Certification.objects.create(
            candidate=candidate,
            user=user,
            started_at=now,
            state="completed",
            jury_status="validated",
            pix_score=8 * sum(levels.values()),
            competence_levels=levels,
            scored_at=now,
            verification_code=f"P-{i:08d}",
        )
    return center


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    center = make_class(args.pupils)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        rows = pupil_results(center, division="3EME A")
        _name, pdf = class_certificates_pdf(
            rows, division="3EME A", base_url="http://bench/", verification_url="http://bench/verification"
        )
        timings.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages == args.pupils, pages
    print(
        f"class certificates PDF, {args.pupils} pupils ({pages} pages, {len(pdf) / 1024:.0f} KiB), {args.repeat} runs:"
    )
    print(f"  min {min(timings):.2f} s   median {statistics.median(timings):.2f} s   max {max(timings):.2f} s")


if __name__ == "__main__":
    main()
