"""Published results as centres, recipients and candidates read them: one row per certification, the CSV."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from pixcertif import exports
from sessions_app.competences import COMPETENCE_CODES, COMPETENCE_NAMES
from sessions_app.models import Certification, JuryStatus, Session, SessionStatus

NOT_ASSESSED = "-"


@dataclass(frozen=True)
class ResultRow:
    certification: Certification

    @property
    def candidate(self):
        return self.certification.candidate

    @property
    def status_label(self) -> str:
        return str(JuryStatus(self.certification.jury_status).label)

    @property
    def is_validated(self) -> bool:
        return self.certification.jury_status == JuryStatus.VALIDATED

    @property
    def pix_score(self) -> str:
        """The score of a validated certification; 0 when rejected; nothing when cancelled."""
        if self.certification.jury_status == JuryStatus.CANCELLED:
            return NOT_ASSESSED
        return str(self.certification.pix_score if self.is_validated else 0)

    @property
    def levels(self) -> list[tuple[str, Promise, str]]:
        """(code, name, level) for the 16 competences; "-" when not assessed or not validated."""
        levels = self.certification.competence_levels if self.is_validated else {}
        return [(code, COMPETENCE_NAMES[code], str(levels.get(code, NOT_ASSESSED))) for code in COMPETENCE_CODES]

    @property
    def certified_levels(self) -> list[tuple[str, Promise, int]]:
        """(code, name, level) of the competences assessed, for the certificate and the verification page."""
        levels = self.certification.competence_levels if self.is_validated else {}
        return [(code, COMPETENCE_NAMES[code], int(levels[code])) for code in COMPETENCE_CODES if code in levels]


def published_certifications() -> QuerySet[Certification]:
    return Certification.objects.filter(candidate__session__status=SessionStatus.PUBLISHED).select_related(
        "candidate__session__center"
    )


def session_results(session: Session) -> list[ResultRow]:
    """One row per candidate who took the test, by name (one query)."""
    certifications = published_certifications().filter(candidate__session=session).select_related("candidate__student")
    return [
        ResultRow(c) for c in certifications.order_by("candidate__last_name", "candidate__first_name", "candidate__pk")
    ]


def csv_filename(session: Session) -> str:
    """`<publication date YYYYMMDD>_resultats_session_<id>.csv` (the date the results were sent)."""
    day = timezone.localdate(session.published_at) if session.published_at else session.date
    return f"{day:%Y%m%d}_resultats_session_{session.pk}.csv"


CSV_HEADERS = [
    gettext_lazy("Numéro de session"),
    gettext_lazy("Numéro de certification"),
    gettext_lazy("Nom"),
    gettext_lazy("Prénom"),
    gettext_lazy("Date de naissance"),
    gettext_lazy("Identifiant local"),
    gettext_lazy("Date de passage de la certification"),
    gettext_lazy("Statut"),
    gettext_lazy("Nombre de Pix"),
    *[format_lazy(gettext_lazy("Compétence {code}"), code=code) for code in COMPETENCE_CODES],
    gettext_lazy("Commentaire jury pour le centre"),
]
# Non-school centres only (schools have no billing mode), after the comment.
BILLING_CSV_HEADERS = [gettext_lazy("Tarification part Pix"), gettext_lazy("Code de prépaiement")]


def results_csv(session: Session) -> tuple[str, bytes]:
    """The session's results as a spreadsheet expects them in France: UTF-8 with BOM, `;` separated, no formula.

    Non-school centres get the billing mode and prepayment code at the end of each line."""
    with_billing = not session.center.is_school
    headers = CSV_HEADERS + (BILLING_CSV_HEADERS if with_billing else [])
    lines: list[list[object]] = [[str(header) for header in headers]]  # in the downloader's language
    for row in session_results(session):
        candidate = row.candidate
        billing = [candidate.get_billing_mode_display(), candidate.prepayment_code] if with_billing else []
        lines.append([*csv_cells(row), *billing])
    return csv_filename(session), exports.csv_bytes(lines)


def csv_cells(row: ResultRow) -> list[object]:
    """The cells of one certification under CSV_HEADERS (the session CSV and the class CSV)."""
    candidate = row.candidate
    session = candidate.session
    return [
        session.pk,
        row.certification.pk,
        candidate.last_name,
        candidate.first_name,
        f"{candidate.birth_date:%d/%m/%Y}",
        candidate.external_id or (candidate.student.ine if candidate.student_id else ""),
        f"{session.date:%d/%m/%Y}",
        row.status_label,
        row.pix_score,
        *[level for _code, _name, level in row.levels],
        row.certification.comment_for_center,
    ]
