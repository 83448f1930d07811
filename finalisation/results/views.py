"""Published results: the centre's "Résultats" tab and CSV, the recipients' link, the candidate's
space and certificate, and the public verification of a certificate code."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from finalisation.results import recipients
from finalisation.results.certificate import certificate_pdf
from finalisation.results.classes import (
    center_divisions,
    center_published_sessions,
    class_certificates_pdf,
    class_results_csv,
    prepare_class_certificates,
    pupil_results,
    validated,
)
from finalisation.results.forms import ClassResultsFilterForm, VerificationForm
from finalisation.results.rows import ResultRow, published_certifications, results_csv, session_results
from pixcertif import downloads
from pixcertif.accounts import throttle
from pixcertif.accounts.tenancy import AuthenticatedRequest, CenterRequest, center_required
from pixcertif.core.audit import audit_record
from sessions_app.competences import COMPETENCES
from sessions_app.models import Certification, JuryStatus, Session, SessionStatus
from sessions_app.selectors import session_for_center

# Anyone may check a code (an employer, a whole class): loosely per address, tightly per account
# when logged in. Codes have 24^8 values: 300 tries per 15 minutes find none.
VERIFICATION_GUARD = throttle.Guard("certificate-verification", per_account=10, per_address=300)


def _published_session_for_center(request: HttpRequest, session_id: int) -> Session:
    session = session_for_center(request, session_id)
    if not session.is_published:
        raise Http404
    return session


@require_GET
@center_required
def session_results_view(request: CenterRequest, session_id: int) -> HttpResponse:
    session = _published_session_for_center(request, session_id)
    rows = session_results(session)
    comments = [row for row in rows if row.certification.comment_for_center]
    context = {"session": session, "tab": "results", "rows": rows, "comments": comments, "competences": COMPETENCES}
    return render(request, "results/session_results.html", context)


@require_GET
@center_required
def session_results_csv(request: CenterRequest, session_id: int) -> HttpResponse:
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
def my_certifications(request: AuthenticatedRequest) -> HttpResponse:
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
def certificate(request: AuthenticatedRequest, certification_id: int) -> HttpResponse:
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
    status = 200
    cancelled = False
    if request.method == "POST" and form.is_valid():
        if VERIFICATION_GUARD.is_blocked(request):
            form.add_error(None, _("Trop de tentatives. Réessayez dans quelques minutes."))
            status = 429
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
                VERIFICATION_GUARD.record_failure(request)
                audit_record(
                    action="certificate.verification_failed",
                    code=form.cleaned_data["code"],
                    ip=throttle.client_ip(request),
                )
                form.add_error("code", _("Aucune certification ne correspond à ce code de vérification."))
            elif certification.jury_status == JuryStatus.CANCELLED:
                cancelled = True  # a real certificate the jury cancelled: say so, show nothing of it
            else:
                row = ResultRow(certification)
    context = {"form": form, "row": row, "cancelled": cancelled}
    return render(request, "results/verification.html", context, status=status)


# ---------------------------------------------------------------- results by class (school centres)

CLASS_RESULTS_PER_PAGE = 100
DOWNLOAD_TOKEN_RE = re.compile(r"^[A-Za-z0-9]{8,32}$")
DOWNLOAD_COOKIE = "telechargement"


def _school_filters(request: CenterRequest) -> tuple[ClassResultsFilterForm, bool]:
    """The filter form of the request's school centre (404 for another type of centre); True when valid."""
    if not request.center.is_school:
        raise Http404
    form = ClassResultsFilterForm(
        request.GET or None,
        divisions=center_divisions(request.center),
        sessions=center_published_sessions(request.center),
    )
    return form, not form.is_bound or form.is_valid()


def _filters_query(division: str, session_id: int | None) -> str:
    return urlencode({k: v for k, v in (("classe", division), ("session", session_id or "")) if v})


@require_GET
@center_required
def class_results(request: CenterRequest) -> HttpResponse:
    """The school's results by class: every published certification of its pupils, by name."""
    form, valid = _school_filters(request)
    data = form.cleaned_data if form.is_bound and valid else {}
    division, session_id = data.get("classe", ""), data.get("session")
    rows = pupil_results(request.center, division=division, session_id=session_id) if valid else []
    page = Paginator(rows, CLASS_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "valid": valid,
        "page": page,
        "rows": page.object_list,
        "total": len(rows),
        "validated_count": len(validated(rows)),
        "division": division,
        "query": _filters_query(division, session_id),
        "competences": COMPETENCES,
    }
    return render(request, "results/class_results.html", context, status=200 if valid else 400)


def _class_download_rows(request: CenterRequest) -> tuple[str, list] | HttpResponse:
    """(class, rows) for a download, or a redirect to the page with a clear message (no empty file)."""
    form, valid = _school_filters(request)
    if not form.is_bound or not valid:
        raise Http404  # no class, or a class / session this centre does not have
    division, session_id = form.cleaned_data["classe"], form.cleaned_data["session"]
    back = reverse("results:class_results") + "?" + _filters_query(division, session_id)
    if not division:
        messages.error(request, _("Choisissez une classe pour télécharger ses résultats."))
        return redirect(back)
    rows = pupil_results(request.center, division=division, session_id=session_id)
    if not rows:
        messages.error(request, _("Aucun résultat publié pour la classe %(division)s.") % {"division": division})
        return redirect(back)
    return division, rows


def _with_download_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Tell the page's script the file has arrived (it shows "préparation en cours" until then)."""
    token = request.GET.get("jeton", "")
    if DOWNLOAD_TOKEN_RE.match(token):
        response.set_cookie(DOWNLOAD_COOKIE, token, max_age=120, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


@require_GET
@center_required
def class_results_csv_view(request: CenterRequest) -> HttpResponse:
    found = _class_download_rows(request)
    if isinstance(found, HttpResponse):
        return found
    division, rows = found
    filename, content = class_results_csv(rows, division=division)
    return _with_download_cookie(request, downloads.attachment(filename, content, "text/csv; charset=utf-8"))


@require_GET
@center_required
def class_certificates_preparation(request: CenterRequest) -> HttpResponse:
    """One step of the class PDF's preparation, for the page's script: renders the next pages not
    made yet (about 2 s at most) and says how many are ready, `{"ready": n, "total": m}`. The page
    calls it until all are, then downloads the PDF (put together from the pages in a second or
    two): a class of any size, progress shown, no request long enough for a browser timeout. With
    nothing to prepare (no validated certificate…) it answers 0/0 and the download says why."""
    form, valid = _school_filters(request)
    if not form.is_bound or not valid:
        raise Http404
    division, session_id = form.cleaned_data["classe"], form.cleaned_data["session"]
    rows = pupil_results(request.center, division=division, session_id=session_id) if division else []
    ready, total = 0, 0
    if validated(rows):
        ready, total = prepare_class_certificates(
            rows,
            base_url=request.build_absolute_uri("/"),
            verification_url=settings.SITE_URL + reverse("results:verification"),
        )
    response = JsonResponse({"ready": ready, "total": total})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@center_required
def class_certificates(request: CenterRequest) -> HttpResponse:
    """One PDF with every validated certificate of the class, one per page, in name order."""
    found = _class_download_rows(request)
    if isinstance(found, HttpResponse):
        return found
    division, rows = found
    if not validated(rows):
        messages.error(
            request,
            _("Aucune attestation pour la classe %(division)s : aucune certification validée.")
            % {"division": division},
        )
        return redirect(reverse("results:class_results") + "?" + request.GET.urlencode())
    filename, content = class_certificates_pdf(
        rows,
        division=division,
        base_url=request.build_absolute_uri("/"),
        verification_url=settings.SITE_URL + reverse("results:verification"),
    )
    return _with_download_cookie(request, downloads.attachment(filename, content, "application/pdf"))
