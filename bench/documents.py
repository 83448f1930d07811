"""Time the attendance sheet against WeasyPrint rendering a bare HTML table of the same rows; then
the size and time of every PDF of a session.

    .venv/bin/python bench/documents.py [--repeat 5] [--session-documents]

Runs on a throw-away in-memory SQLite database (migrated at start), so it needs no server and
touches no real data; pypdf (dev requirements) counts the pages. For 20, 100 and 500 candidates
it prints the best of N timings of `attendance_sheet_pdf(session)` (query + template + WeasyPrint)
and of a bare, unstyled `<table>` with the same rows, and their ratio. Targets: ratio <= 1.5, and
under 1 s for 100 candidates.

Then, for a session of 20 candidates, each PDF of the session (incident report, fraud report,
attendance sheet, kit, notice, instructions): its size, and the min and median of N timings, wall
clock and CPU of this process (the machine is shared: CPU time varies less than wall time). Targets:
the incident report under 100 KB and under 0.2 s, min and median, wall clock and CPU (it was 437 KB
and 0.35 s when its form fields embedded DejaVu Sans whole; 52 KB and 0.17/0.18 s CPU min/median
before the fonts and stylesheet were kept per thread and a render collected its own garbage).
`--session-documents` times those PDFs only (not the attendance sheet's 20/100/500 candidates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "pixcertif.settings_test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils.html import escape  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from pixcertif.accounts.models import CertificationCenter  # noqa: E402
from sessions_app import documents  # noqa: E402
from sessions_app.models import Candidate, Session, Student  # noqa: E402
from sessions_app.normalize import identity_key  # noqa: E402

SIZES = (20, 100, 500)
FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Noé", "Zoé", "Jules", "Anaïs", "Louis"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]


def make_session(size: int) -> Session:
    center, _ = CertificationCenter.objects.get_or_create(name="Collège du banc d'essai", type="SCO")
    session = Session.objects.create(
        center=center,
        address="Collège du banc d'essai",
        room=f"Salle {size}",
        date=dt.date(2026, 6, 15),
        time=dt.time(9, 0),
        examiner="Mme Dupont, M. Martin",
        access_code=f"BCD{'FGH'[SIZES.index(size)]}22",
        invigilator_password="24WB4",
    )
    students = Student.objects.bulk_create(
        Student(
            center=center,
            division=f"3EME {'ABCD'[i % 4]}",
            last_name=f"{LAST_NAMES[i % 10]}-{i:03d}",
            first_name=FIRST_NAMES[(i // 10) % 10],
            birth_date=dt.date(2011, 1 + i % 12, 1 + i % 28),
            ine=f"{size:03d}{i:06d}AB",
        )
        for i in range(size)
    )
    Candidate.objects.bulk_create(
        Candidate(
            session=session,
            student=student,
            last_name=student.last_name,
            first_name=student.first_name,
            birth_date=student.birth_date,
            extra_time_percentage=30 if i % 9 == 0 else None,
            identity_key=identity_key(student.first_name, student.last_name),
        )
        for i, student in enumerate(students)
    )
    return session


def bare_table_pdf(session: Session) -> bytes:
    """The same rows in an unstyled table: the floor WeasyPrint itself sets."""
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(value)}</td>"
            for value in (str(p.number), p.last_name, p.first_name, p.birth_date, p.local_id, p.extra_time, "")
        )
        + "</tr>"
        for p in documents.participants(session)
    )
    # Same page box and font as the sheet (A4, its margins, DejaVu Sans 9 pt), so the ratio measures
    # the sheet's layout and styling, not a different page count or font lookup.
    style = "@page { size: A4; margin: 16mm 12mm 14mm } html { font: 9pt 'DejaVu Sans' }"
    html = f"<!doctype html><html lang='fr'><head><style>{style}</style></head>"
    html += f"<body><table>{rows}</table></body></html>"
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def best_of(repeat: int, func, *args) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        timings.append(time.perf_counter() - start)
    return min(timings)


SESSION_DOCUMENTS = (
    "incident_report_pdf",
    "fraud_report_pdf",
    "attendance_sheet_pdf",
    "invigilator_kit_pdf",
    "candidate_notice_pdf",
    "candidate_instructions_pdf",
)


def timings(repeat: int, func, *args) -> tuple[list[float], list[float]]:
    """`repeat` wall-clock and CPU timings of `func(*args)`."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func(*args)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def session_documents(session: Session, repeat: int) -> list[str]:
    """Print the size and timings of every PDF of `session`; return the targets missed."""
    print()
    print(f"{'document (20 candidats)':<28} {'Ko':>6} {'pages':>5}  {'mur min/méd (s)':>15}  {'CPU min/méd (s)':>15}")
    failures = []
    for name in SESSION_DOCUMENTS:
        func = getattr(documents, name)
        _filename, content = func(session)
        wall, cpu = timings(repeat, func, session)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        size = len(content) / 1000
        print(
            f"{name:<28} {size:>6.1f} {pages:>5}  {min(wall):>7.3f}/{statistics.median(wall):<7.3f}"
            f"  {min(cpu):>7.3f}/{statistics.median(cpu):<7.3f}"
        )
        if name == "incident_report_pdf":
            if size >= 100:
                failures.append(f"PV d'incident : {size:.0f} Ko >= 100 Ko")
            for clock, values in (("mur", wall), ("CPU", cpu)):
                for label, value in (("min", min(values)), ("médiane", statistics.median(values))):
                    if value >= 0.2:
                        failures.append(f"PV d'incident : {clock} {label} {value:.3f} s >= 0,2 s")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per measure; the best is kept")
    parser.add_argument("--session-documents", action="store_true", help="only the PDFs of a session")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.session_documents:
        session = make_session(20)
        documents.incident_report_pdf(session)  # warm-up: fonts and stylesheets, once per process
        failures = session_documents(session, max(args.repeat, 7))
        for failure in failures:
            print(f"OBJECTIF MANQUÉ — {failure}")
        return 1 if failures else 0
    sessions = {size: make_session(size) for size in SIZES}
    # Warm-up: font discovery and CSS parsing happen once per process.
    documents.attendance_sheet_pdf(sessions[20])
    bare_table_pdf(sessions[20])

    print(f"{'candidats':>9}  {'feuille (s)':>11}  {'table nue (s)':>13}  {'ratio':>5}  pages")
    failures = []
    for size, session in sessions.items():
        sheet = best_of(args.repeat, documents.attendance_sheet_pdf, session)
        bare = best_of(args.repeat, bare_table_pdf, session)
        ratio = sheet / bare
        _, content = documents.attendance_sheet_pdf(session)
        reader = PdfReader(io.BytesIO(content))
        pages = len(reader.pages)
        per_page = documents.PARTICIPANTS_PER_PAGE
        for index, page in enumerate(reader.pages):
            numbers = [int(n) for n in re.findall(r"^(\d+) \S", page.extract_text(), re.MULTILINE)]
            expected = list(range(index * per_page + 1, min(size, (index + 1) * per_page) + 1))
            if numbers != expected:
                failures.append(f"{size} candidats : la page {index + 1} ne porte pas les lignes {expected[0]}…")
        print(f"{size:>9}  {sheet:>11.3f}  {bare:>13.3f}  {ratio:>5.2f}  {pages}")
        expected_pages = -(-size // documents.PARTICIPANTS_PER_PAGE)
        if pages != expected_pages:
            failures.append(f"{size} candidats : {pages} pages au lieu de {expected_pages}")
        if ratio > 1.5:
            failures.append(f"{size} candidats : ratio {ratio:.2f} > 1.5")
        if size == 100 and sheet >= 1.0:
            failures.append(f"100 candidats : {sheet:.3f} s >= 1 s")
    failures += session_documents(sessions[20], max(args.repeat, 7))
    for failure in failures:
        print(f"OBJECTIF MANQUÉ — {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
