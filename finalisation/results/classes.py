"""Results by class for school centres: the published certifications of the centre's pupils, the
class CSV, and one PDF holding every validated certificate of a class, one per page, in name order.

A pupil is a candidate linked to a student of the centre's roster; the class is the student's
("division"). Names are sorted as people read them: case, accents and hyphens ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from finalisation.results.rows import CSV_HEADERS, ResultRow, csv_cells, published_certifications
from pixcertif import exports
from pixcertif.accounts.language import language_of
from pixcertif.accounts.models import CertificationCenter
from sessions_app.models import JuryStatus, Session, SessionStatus, Student
from sessions_app.normalize import normalize_name

CLASS_CSV_HEADERS = ["Classe", *CSV_HEADERS]


@dataclass(frozen=True)
class PupilResult(ResultRow):
    """A result row with the pupil's class."""

    @property
    def division(self) -> str:
        return self.candidate.student.division

    @property
    def session(self) -> Session:
        return self.candidate.session


def center_divisions(center: CertificationCenter) -> list[str]:
    """Every class of the centre's roster, in order."""
    return list(
        Student.objects.filter(center=center).order_by("division").values_list("division", flat=True).distinct()
    )


def center_published_sessions(center: CertificationCenter) -> list[Session]:
    """The centre's published sessions, most recent first."""
    return list(Session.objects.filter(center=center, status=SessionStatus.PUBLISHED).order_by("-date", "-time", "-pk"))


def _name_key(row: PupilResult) -> tuple:
    candidate = row.candidate
    return (
        normalize_name(candidate.last_name),
        normalize_name(candidate.first_name),
        candidate.birth_date,
        candidate.session.date,
        row.certification.pk,
    )


def pupil_results(
    center: CertificationCenter, *, division: str = "", session_id: int | None = None
) -> list[PupilResult]:
    """The published certifications of the centre's pupils (one query), by name."""
    certifications = published_certifications().filter(
        candidate__session__center=center, candidate__student__center=center
    )
    if division:
        certifications = certifications.filter(candidate__student__division=division)
    if session_id:
        certifications = certifications.filter(candidate__session_id=session_id)
    rows = [PupilResult(c) for c in certifications.select_related("candidate__student", "user")]
    return sorted(rows, key=_name_key)


def _slug(division: str) -> str:
    return slugify(division).upper() or "classe"


def class_results_csv(rows: list[PupilResult], *, division: str) -> tuple[str, bytes]:
    """The class's results, as the session CSV: UTF-8 with BOM, `;`, no formula; the class first."""
    lines: list[list[object]] = [CLASS_CSV_HEADERS]
    lines += [[row.division, *csv_cells(row)] for row in rows]
    return f"resultats_classe_{_slug(division)}.csv", exports.csv_bytes(lines)


def validated(rows: list[PupilResult]) -> list[PupilResult]:
    return [row for row in rows if row.certification.jury_status == JuryStatus.VALIDATED]


def class_certificates_pdf(
    rows: list[PupilResult], *, division: str, base_url: str, verification_url: str
) -> tuple[str, bytes]:
    """Every validated certificate of `rows` in one PDF, one A4 page each, in the order given (by
    name); each page in its pupil's language, as the pupil's own download."""
    from weasyprint import HTML

    pages = []
    for row in validated(rows):
        language = language_of(row.certification.user)
        with translation.override(language):
            context = {"row": row, "session": row.session, "verification_url": verification_url}
            body = mark_safe(render_to_string("results/_certificate_body.html", context))
            pages.append({"lang": language, "body": body})
    html = render_to_string("results/class_certificates.html", {"pages": pages, "division": division})
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    return f"attestations_classe_{_slug(division)}.pdf", pdf
