"""Time the class certificates PDF (results by class) for 150 pupils.

    .venv/bin/python bench/class_certificates.py [--pupils 150] [--repeat 5]

Runs on a throw-away in-memory SQLite database (migrated at start): one school, one published
session of N validated pupils of class "3EME A" (16 competences each), then timings of
`pupil_results` + `class_certificates_pdf` (query, templates, WeasyPrint, pypdf), as the download
view does, in three cases:

- cold: no page in the cache (the cache is cleared before each run): every page rendered;
- warm: every page in the cache (a second download of the class);
- one correction: the jury corrected one pupil's first name: that page rendered, the others reused;
- publication (30 pupils): what the jury's publication of a 30-pupil session adds (its pages
  rendered ahead of time, `prepare_published_certificates`, nothing cached before).

A cold download is the WeasyPrint document of the class itself (no pypdf merge); after the
publications of the class's sessions a download is the warm case.

Prints min and median, wall clock and CPU of this process (the machine is shared); pypdf checks
the page count and the corrected name. Target: well under 10 s for 150 pupils (aim: 5 s).
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

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from finalisation.results.classes import (  # noqa: E402
    class_certificates_pdf,
    prepare_published_certificates,
    pupil_results,
)
from pixcertif.accounts.models import CertificationCenter, User  # noqa: E402
from sessions_app.competences import COMPETENCE_CODES  # noqa: E402
from sessions_app.models import Candidate, Certification, Session, Student  # noqa: E402
from sessions_app.normalize import identity_key  # noqa: E402

FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Noé", "Zoé", "Jules", "Anaïs", "Louis"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]


def make_class(pupils: int, *, division: str = "3EME A", center: CertificationCenter | None = None):
    center = center or CertificationCenter.objects.create(name="Collège du banc d'essai", type="SCO")
    now = timezone.now()
    session = Session.objects.create(
        center=center,
        address="Collège du banc d'essai",
        room="Salle 1",
        date=dt.date(2026, 6, 15),
        time=dt.time(9, 0),
        examiner="Mme Dupont",
        access_code=f"BCDF{len(division)}{division[-1]}",
        invigilator_password="24WB4",
        status="published",
        started_at=now,
        finalized_at=now,
        published_at=now,
    )
    levels = {code: 1 + i % 6 for i, code in enumerate(COMPETENCE_CODES)}
    for i in range(pupils):
        first, last = FIRST_NAMES[i % 10], f"{LAST_NAMES[i % 10]}-{i:03d}"
        email = f"eleve{i}.{slugify(division)}@bench.test"
        user = User.objects.create_user(email=email, first_name=first, last_name=last)
        student = Student.objects.create(
            center=center,
            division=division,
            last_name=last,
            first_name=first,
            birth_date=dt.date(2011, 1, 1),
            birth_city="Lyon",
            ine=f"{i:09d}{division[-1]}B",
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
            verification_code=f"P-{division[-1]}{i:07d}",
        )
    return center, session


def build(center: CertificationCenter) -> bytes:
    rows = pupil_results(center, division="3EME A")
    _name, pdf = class_certificates_pdf(
        rows, division="3EME A", base_url="http://bench/", verification_url="http://bench/verification"
    )
    return pdf


def timed(repeat: int, center: CertificationCenter, before=None) -> tuple[list[float], list[float], bytes]:
    wall, cpu, pdf = [], [], b""
    for run in range(repeat):
        if before:
            before(run)
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = build(center)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu, pdf


def line(label: str, wall: list[float], cpu: list[float]) -> str:
    return (
        f"  {label:<15} wall min {min(wall):6.2f} s  median {statistics.median(wall):6.2f} s"
        f"   CPU min {min(cpu):6.2f} s  median {statistics.median(cpu):6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    center, _session = make_class(args.pupils)
    _center, publication = make_class(30, division="3EME B", center=center)
    build(center)  # warm-up: fonts, templates, stylesheets
    cold = timed(args.repeat, center, before=lambda run: cache.clear())
    warm = timed(args.repeat, center)

    def correct(run: int) -> None:
        candidate = Candidate.objects.order_by("pk")[args.pupils // 2]
        candidate.first_name = f"Corrigé{run}"
        candidate.save(update_fields=["first_name"])

    corrected = timed(args.repeat, center, before=correct)
    published = [], []
    for _run in range(args.repeat):
        cache.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        assert prepare_published_certificates([publication]) == 30
        published[0].append(time.perf_counter() - start)
        published[1].append(time.process_time() - start_cpu)
    for _wall, _cpu, pdf in (cold, warm, corrected):
        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) == args.pupils, len(pages)
    assert any(f"Corrigé{args.repeat - 1}" in page.extract_text() for page in PdfReader(io.BytesIO(corrected[2])).pages)
    print(
        f"class certificates PDF, {args.pupils} pupils ({args.pupils} pages, {len(cold[2]) / 1024:.0f} KiB),"
        f" {args.repeat} runs:"
    )
    print(line("cold", *cold[:2]))
    print(line("warm", *warm[:2]))
    print(line("one correction", *corrected[:2]))
    print(line("publication 30", *published))


if __name__ == "__main__":
    main()
