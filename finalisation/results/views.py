"""Published results: the centre's "Résultats" tab and CSV, the recipients' link, the candidate's
space and certificate, and the public verification of a certificate code."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from finalisation.results import recipients
from finalisation.results.certificate import certificate_pdf
from finalisation.results.forms import VerificationForm
from finalisation.results.rows import ResultRow, published_certifications, results_csv, session_results
from pixcertif import downloads, throttle
from pixcertif.accounts.tenancy import center_required
from sessions_app.competences import COMPETENCES
from sessions_app.models import Certification, JuryStatus, Session, SessionStatus
from sessions_app.selectors import session_for_center

VERIFICATION_SCOPE = "certificate-verification"


def _published_session_for_center(request: HttpRequest, session_id: int) -> Session:
    session = session_for_center(request, session_id)
    if not session.is_published:
        raise Http404
    return session


@require_GET
@center_required
def session_results_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _published_session_for_center(request, session_id)
    rows = session_results(session)
    comments = [row for row in rows if row.certification.comment_for_center]
    context = {"session": session, "tab": "results", "rows": rows, "comments": comments, "competences": COMPETENCES}
    return render(request, "results/session_results.html", context)


@require_GET
@center_required
def session_results_csv(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _published_session_for_center(request, session_id)
    filename, content = results_csv(session)
    return downloads.attachment(filename, content, "text/csv; charset=utf-8")


@require_GET
def recipient_results(request: HttpRequest, token: str) -> HttpResponse:
    """The results a recipient receives, through the signed link of their e-mail (no login)."""
    try:
        session_id, email = recipients.read_recipient_token(token)
    except recipients.LinkExpired:
        return render(request, "results/link_expired.html", status=410)
    except recipients.LinkInvalid:
        return render(request, "results/link_invalid.html", status=404)
    session = Session.objects.select_related("center").filter(pk=session_id, status=SessionStatus.PUBLISHED).first()
    if session is None:
        return render(request, "results/link_invalid.html", status=404)
    rows = [
        row
        for row in session_results(session)
        if recipients.normalize_email(row.candidate.result_recipient_email) == email
    ]
    context = {"session": session, "rows": rows, "competences": COMPETENCES, "email": email}
    return render(request, "results/recipient_results.html", context)


@require_GET
@login_required
def my_certifications(request: HttpRequest) -> HttpResponse:
    """The candidate's certifications: results once published, "en attente" before."""
    certifications = (
        Certification.objects.filter(user=request.user)
        .select_related("candidate__session__center")
        .order_by("-candidate__session__date", "-pk")
    )
    items = [
        {"session": c.candidate.session, "row": ResultRow(c), "published": c.candidate.session.is_published}
        for c in certifications
    ]
    return render(request, "results/my_certifications.html", {"items": items})


@require_GET
@login_required
def certificate(request: HttpRequest, certification_id: int) -> HttpResponse:
    """The PDF certificate of one of the user's own validated, published certifications (else 404)."""
    certification = get_object_or_404(
        published_certifications(), pk=certification_id, user=request.user, jury_status=JuryStatus.VALIDATED
    )
    if not certification.verification_code:
        raise Http404
    filename, content = certificate_pdf(
        certification,
        base_url=request.build_absolute_uri("/"),
        verification_url=settings.SITE_URL + reverse("results:verification"),
    )
    return downloads.attachment(filename, content, "application/pdf")


@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate code. A lookup, not a change: the result is shown on the POST."""
    form = VerificationForm(request.POST or None)
    row = None
    cancelled = False
    if request.method == "POST" and form.is_valid():
        keys = throttle.throttle_keys(request)
        if throttle.is_blocked(VERIFICATION_SCOPE, keys):
            form.add_error(None, _("Trop de tentatives. Réessayez dans quelques minutes."))
        else:
            certification = (
                published_certifications()
                .filter(
                    verification_code=form.cleaned_data["code"],
                    jury_status__in=[JuryStatus.VALIDATED, JuryStatus.CANCELLED],
                )
                .first()
            )
            if certification is None:
                throttle.record_failure(VERIFICATION_SCOPE, keys)
                form.add_error("code", _("Aucune certification ne correspond à ce code de vérification."))
            elif certification.jury_status == JuryStatus.CANCELLED:
                cancelled = True  # a real certificate the jury cancelled: say so, show nothing of it
            else:
                row = ResultRow(certification)
    return render(request, "results/verification.html", {"form": form, "row": row, "cancelled": cancelled})
