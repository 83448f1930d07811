"""Printable documents of a session: attendance sheet (PDF and ODS), incident report, invigilator kit.

Every function returns `(filename, bytes)`. PDFs are rendered by WeasyPrint from templates under
`templates/documents/`; user data goes through Django's autoescaping, so a name such as
`<script>` is printed as text, never interpreted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TableRowProperties, TextProperties
from odf.table import Table, TableColumn, TableRow

from pixcertif import exports, pdf
from pixcertif.core.id_documents import ACCEPTED_ID_DOCUMENTS
from sessions_app.models import BillingMode, Candidate, IssueReport, IssueReportSource, Session
from sessions_app.normalize import normalize_name
from sessions_app.ods import ODS_MIMETYPE

PARTICIPANTS_PER_PAGE = 20
# The sample attendance sheet shows a 2-hour slot (1 h 45 of test plus installation).
SESSION_SLOT = timedelta(hours=2)
INCIDENT_REPORT_ROWS = 15
INVIGILATOR_SPACE_PATH = "/connexion-espace-surveillant"

ODS_CONTENT_TYPE = ODS_MIMETYPE
PDF_CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class Participant:
    """One line of the attendance sheet."""

    number: int
    last_name: str
    first_name: str
    birth_date: str
    local_id: str
    extra_time: str
    adjustment: str = ""  # "Oui" when the candidate needs an adjustment
    billing: str = ""  # non-school centres: "Prépayée (CODE)", "Gratuite"…


# ---- shared helpers ---------------------------------------------------------------------------


def _render_pdf(template_name: str, context: dict[str, Any], *, forms: bool = False) -> bytes:
    return pdf.render_pdf(render_to_string(template_name, context), forms=forms)


def end_time(session: Session) -> time:
    """Local end time printed on the attendance sheet: start + 2 h (wraps past midnight)."""
    return (datetime.combine(session.date, session.time) + SESSION_SLOT).time()


def session_header(session: Session) -> dict[str, Any]:
    """The session values every document prints at its top."""
    names = session.invigilator_names
    return {
        "session": session,
        "center_name": session.center.name,
        "date": session.date.strftime("%d/%m/%Y"),
        "start_time": session.time.strftime("%H:%M"),
        "end_time": end_time(session).strftime("%H:%M"),
        "invigilators": ", ".join(names) if names else session.examiner,
    }


def _local_id(candidate: Candidate, is_school: bool) -> str:
    """The class ("division") for school centres, the local id given at enrolment otherwise."""
    if is_school and candidate.student is not None:
        return candidate.student.division
    return candidate.external_id


def billing_label(candidate: Candidate) -> str:
    """ "Gratuite", "Payante", "Prépayée (code)"; empty for schools."""
    if not candidate.billing_mode:
        return ""
    label = str(BillingMode(candidate.billing_mode).label)
    return f"{label} ({candidate.prepayment_code})" if candidate.prepayment_code else label


def participants(session: Session) -> list[Participant]:
    """Enrolled candidates sorted by birth name then first name (case and accents ignored), numbered."""
    is_school = session.center.is_school
    candidates = sorted(
        session.candidates.select_related("student"),
        key=lambda c: (normalize_name(c.last_name), normalize_name(c.first_name), c.birth_date, c.pk),
    )
    return [
        Participant(
            number=number,
            last_name=candidate.last_name,
            first_name=candidate.first_name,
            birth_date=candidate.birth_date.strftime("%d/%m/%Y"),
            local_id=_local_id(candidate, is_school),
            extra_time=f"{candidate.extra_time_percentage} %" if candidate.extra_time_percentage else "",
            adjustment=_("Oui") if candidate.needs_adjustment else "",
            billing="" if is_school else billing_label(candidate),
        )
        for number, candidate in enumerate(candidates, start=1)
    ]


def _pages(rows: list[Participant], size: int = PARTICIPANTS_PER_PAGE) -> list[list[Participant]]:
    """Rows cut into pages of `size`; at least one (empty) page so the sheet always prints."""
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


# ---- attendance sheet ------------------------------------------------------------------------


def attendance_sheet_pdf(session: Session) -> tuple[str, bytes]:
    """The attendance sheet ("feuille d'émargement"): 20 participants a page, the header on each."""
    rows = participants(session)
    context = {**session_header(session), "pages": _pages(rows), "participant_count": len(rows)}
    content = _render_pdf("documents/attendance_sheet.html", context)
    return f"feuille-emargement-session-{session.pk}.pdf", content


ATTENDANCE_COLUMNS = [
    "",
    gettext_lazy("Nom de naissance"),
    gettext_lazy("Prénom"),
    gettext_lazy("Date de naissance (format : jj/mm/aaaa)"),
    gettext_lazy("Identifiant local"),
    gettext_lazy("Temps majoré ?"),
    gettext_lazy("Aménagement ?"),
    gettext_lazy("Signature"),
]
BILLING_COLUMN = gettext_lazy("Tarification part Pix")


def _ods_row(*values: str | int, style: Style | None = None, row_style: Style | None = None) -> TableRow:
    row = TableRow(stylename=row_style) if row_style is not None else TableRow()
    for value in values:
        row.addElement(exports.ods_cell(value, style=style))
    return row


def attendance_sheet_ods(session: Session) -> tuple[str, bytes]:
    """The attendance sheet as a spreadsheet, laid out like the guide's sample (columns A to G)."""
    header = session_header(session)
    doc = OpenDocumentSpreadsheet()

    bold = Style(name="Bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    tall = Style(name="SignatureRow", family="table-row")
    tall.addElement(TableRowProperties(rowheight="0.9cm", useoptimalrowheight="false"))
    doc.automaticstyles.addElement(tall)
    is_school = session.center.is_school
    widths = ["1cm", "4.5cm", "4cm", "4.2cm", "3.5cm", "2.8cm", "2.8cm", *([] if is_school else ["4cm"]), "5cm"]
    table = Table(name=_("Feuille d'émargement"))
    for index, width in enumerate(widths):
        column_style = Style(name=f"Column{index}", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=width))
        doc.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(stylename=column_style))

    table.addElement(_ods_row(_("Feuille d'émargement"), style=bold))
    table.addElement(_ods_row(_("La session de certification"), "", "", _("N° de session :"), session.pk))
    table.addElement(_ods_row(_("Date"), header["date"], "", _("Session surveillée par :")))
    table.addElement(
        _ods_row(_("Heure locale (début/fin)"), header["start_time"], header["end_time"], header["invigilators"])
    )
    table.addElement(_ods_row(_("Nom du site"), session.address, "", _("Signature des surveillant(s) :")))
    table.addElement(_ods_row(_("Nom de la salle"), session.room))
    table.addElement(_ods_row(_("Participants"), style=bold))
    labels = [str(label) for label in ATTENDANCE_COLUMNS]
    if not is_school:  # schools never see a billing mode
        labels.insert(-1, str(BILLING_COLUMN))
    table.addElement(_ods_row(*labels, style=bold))
    for participant in participants(session):
        billing = [] if is_school else [participant.billing]
        table.addElement(
            _ods_row(
                participant.number,
                participant.last_name,
                participant.first_name,
                participant.birth_date,
                participant.local_id,
                participant.extra_time,
                participant.adjustment,
                *billing,
                "",
                row_style=tall,
            )
        )
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return f"feuille-emargement-session-{session.pk}.ods", buffer.getvalue()


# ---- incident report -------------------------------------------------------------------------

CANDIDATE_CODES = [
    (
        "C1",
        gettext_lazy("Modification des prénom/nom/date de naissance"),
        gettext_lazy("Précisez l'information à modifier"),
    ),
    (
        "C2",
        gettext_lazy(
            "Ajout/modification du temps majoré ; en cas de souci sur une question chronométrée, "
            "se référer à la catégorie E8"
        ),
        gettext_lazy("Précisez le temps majoré en %"),
    ),
    (
        "C4",
        gettext_lazy("Était présent(e) mais a oublié de signer, ou a signé sur la mauvaise ligne"),
        gettext_lazy("Précisez"),
    ),
    ("C6", gettext_lazy("Suspicion de fraude"), gettext_lazy("PV de fraude")),
    (
        "C7",
        gettext_lazy(
            "Incident technique non bloquant : l'ordinateur s'est éteint, lenteur significative du réseau "
            "et/ou de l'appareil, etc."
        ),
        gettext_lazy("Précisez"),
    ),
    (
        "C8",
        gettext_lazy(
            "Incident lié au candidat non bloquant : a quitté temporairement, sous surveillance, la salle "
            "d'examen, est arrivé en retard, a rencontré des difficultés pour se connecter à la session, a dû "
            "se reconnecter à la session, avait oublié son mot de passe..."
        ),
        gettext_lazy("Précisez"),
    ),
]

QUESTION_CODES = [
    ("E1", gettext_lazy("L'image ne s'affiche pas")),
    ("E2", gettext_lazy("Le simulateur/l'application ne s'affiche pas ou ne fonctionne pas correctement")),
    ("E3", gettext_lazy("Le fichier à télécharger ne s'ouvre pas")),
    ("E4", gettext_lazy("Le site à visiter est indisponible/en maintenance/inaccessible")),
    ("E5", gettext_lazy("Le site est bloqué par les restrictions réseau de l'établissement")),
    (
        "E8",
        gettext_lazy(
            "Le candidat bénéficie d'un temps majoré et n'a pas pu répondre à la question dans le temps imparti"
        ),
    ),
    (
        "E9",
        gettext_lazy(
            "Le logiciel installé sur l'ordinateur n'a pas fonctionné (traitement de texte, d'image, tableur, etc.)"
        ),
    ),
    (
        "E10",
        gettext_lazy(
            "Le candidat a été contraint de cliquer en dehors du cadre autorisé pour une question en mode focus"
        ),
    ),
    (
        "E11",
        gettext_lazy(
            "Une page affichant « Oups une erreur est survenue » a contraint le candidat à ne pas répondre "
            "à la question"
        ),
    ),
    ("E12", gettext_lazy("Problème avec l'accessibilité de la question (ex : daltonisme)")),
]


@dataclass(frozen=True)
class IncidentRow:
    n: int
    candidate: str = ""
    code: str = ""
    question: str = ""
    details: str = ""
    entered_during_session: bool = False


def incident_report_rows(session: Session) -> list[IncidentRow]:
    """The report lines of the PV: first the reports entered during the session (on the
    invigilator's phone, validated live alerts), filled in; then blank lines to write on."""
    reports = (
        IssueReport.objects.filter(certification__candidate__session=session)
        .exclude(source=IssueReportSource.FINALISATION)
        .select_related("certification__candidate")
        .order_by("certification__candidate__last_name", "certification__candidate__first_name", "created_at", "pk")
    )
    rows = [
        IncidentRow(
            n=n,
            candidate=report.certification.candidate.full_name,
            code=report.code,
            question=str(report.question_number or ""),
            details=f"{report.description} ({_('saisi pendant la session')})".strip(),
            entered_during_session=True,
        )
        for n, report in enumerate(reports, start=1)
    ]
    blanks = max(INCIDENT_REPORT_ROWS - len(rows), 5)
    return rows + [IncidentRow(n=n) for n in range(len(rows) + 1, len(rows) + blanks + 1)]


def incident_report_pdf(session: Session) -> tuple[str, bytes]:
    """The incident report ("PV d'incident"): an editable PDF form, pre-filled with the session."""
    context = {
        **session_header(session),
        "report_rows": incident_report_rows(session),
        "candidate_codes": CANDIDATE_CODES,
        "question_codes": QUESTION_CODES,
    }
    content = _render_pdf("documents/incident_report.html", context, forms=True)
    return f"pv-incident-session-{session.pk}.pdf", content


# ---- invigilator kit -------------------------------------------------------------------------


def invigilator_space_url() -> str:
    return f"{settings.SITE_URL}{INVIGILATOR_SPACE_PATH}"


def invigilator_kit_pdf(session: Session) -> tuple[str, bytes]:
    """The invigilator kit: the codes to enter the session, the steps of the day, the ID documents."""
    context = {
        **session_header(session),
        "invigilator_space_url": invigilator_space_url(),
        "id_documents": ACCEPTED_ID_DOCUMENTS,
    }
    content = _render_pdf("documents/invigilator_kit.html", context)
    return f"kit-surveillant-session-{session.pk}.pdf", content


# ---- pupils' usernames and one-time passwords (schools) ------------------------------------


def student_accounts_pdf(*, center_name: str, lines: list, title: str) -> tuple[str, bytes]:
    """The sheet a school hands out in class: one cut-out card per pupil with the login address,
    the username and the one-time password (the pupil chooses a password at first login)."""
    context = {
        "center_name": center_name,
        "title": title,
        "lines": lines,
        "login_url": f"{settings.SITE_URL}/connexion",
        "printed_on": timezone.localdate().strftime("%d/%m/%Y"),
    }
    content = _render_pdf("documents/student_accounts.html", context)
    slug = slugify(title) or "eleves"
    return f"identifiants-{slug}.pdf", content


# ---- the day's documents: candidate notice, instructions to read, fraud report --------------

CERTIFICATIONS_PATH = "/certifications"


def candidate_notice_pdf(session: Session) -> tuple[str, bytes]:
    """ "Notice candidat" (to show on the board or by each computer): how to join the session. The
    access code is not printed: the invigilator announces it when the test starts."""
    context = {**session_header(session), "certifications_url": f"{settings.SITE_URL}{CERTIFICATIONS_PATH}"}
    return f"notice-candidat-session-{session.pk}.pdf", _render_pdf("documents/candidate_notice.html", context)


def candidate_instructions_pdf(session: Session) -> tuple[str, bytes]:
    """ "Consignes à lire aux candidats", read aloud before the access code is announced."""
    content = _render_pdf("documents/candidate_instructions.html", session_header(session))
    return f"consignes-candidats-session-{session.pk}.pdf", content


def fraud_report_pdf(session: Session) -> tuple[str, bytes]:
    """ "PV de fraude": the editable form a C6 report ("Suspicion de fraude") needs, pre-filled."""
    content = _render_pdf("documents/fraud_report.html", session_header(session), forms=True)
    return f"pv-fraude-session-{session.pk}.pdf", content
