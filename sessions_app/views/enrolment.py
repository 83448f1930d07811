"""Enrolment pages: the candidate list, students by class (schools), manual entry and the ODS
round-trip (other centres), and the school roster ("Élèves") with its CSV import."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixcertif import downloads
from pixcertif.accounts.tenancy import CenterRequest, center_required, get_for_center
from pixcertif.core.errors import DomainError
from sessions_app.documents import student_accounts_pdf
from sessions_app.forms.enrolment import CandidateForm, CandidatesImportForm, ExtraTimeForm, StudentsImportForm
from sessions_app.models import Candidate, Session, Student
from sessions_app.ods import ODS_MIMETYPE, OdsFileError, candidates_ods, read_candidates
from sessions_app.selectors import session_for_center
from sessions_app.services.enrolment import (
    CandidateData,
    candidate_add,
    candidate_delete,
    candidate_update,
    candidates_replace_from_import,
    students_enrol,
    students_import,
)
from sessions_app.services.student_accounts import student_reset_password, students_create_accounts
from sessions_app.students_csv import StudentsFileError, read_students

STUDENTS_PER_PAGE = 20
ROSTER_PER_PAGE = 50
MAX_ERRORS_SHOWN = 200
ADDED_MESSAGE = gettext_lazy("Le(s) candidat(s) ont été ajouté(s) avec succès.")
SCHOOL_ONLY = gettext_lazy("L'ajout d'élèves par classe est réservé aux établissements scolaires.")
NOT_FOR_SCHOOLS = gettext_lazy("Les candidats d'un établissement scolaire s'ajoutent depuis la liste des élèves.")


def _candidates_url(session: Session) -> str:
    return reverse("enrolment:candidates", args=[session.pk])


def _candidate_for_center(request: HttpRequest, session: Session, candidate_id: int) -> Candidate:
    qs = Candidate.objects.select_related("session", "student")
    return get_for_center(request, qs, center_field="session__center", pk=candidate_id, session_id=session.pk)


def _enrolment_open(session: Session) -> bool:
    return not session.is_started and not session.is_locked_for_center


# ---------------------------------------------------------------- candidate list


def _render_list(request: CenterRequest, session: Session, *, import_form=None, import_errors=None, status=200):
    candidates = list(session.candidates.select_related("student").order_by("last_name", "first_name", "id"))
    return render(
        request,
        "sessions_app/candidate_list.html",
        {
            "session": session,
            "tab": "candidates",
            "candidates": candidates,
            "is_school": request.center.is_school,
            "can_enrol": _enrolment_open(session),
            "import_form": import_form or CandidatesImportForm(),
            "import_errors": (import_errors or [])[:MAX_ERRORS_SHOWN],
            "import_errors_total": len(import_errors or []),
        },
        status=status,
    )


@require_GET
@center_required
def candidate_list(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    return _render_list(request, session)


# ---------------------------------------------------------------- manual entry (other centres)


@require_http_methods(["GET", "POST"])
@center_required
def candidate_add_view(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if request.center.is_school:
        messages.error(request, NOT_FOR_SCHOOLS)
        return redirect("enrolment:enrol_students", session.pk)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_add(session=session, data=form.to_data(), by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, ADDED_MESSAGE)
            return redirect(_candidates_url(session))
    return render(
        request,
        "sessions_app/candidate_form.html",
        {
            "session": session,
            "tab": "candidates",
            "form": form,
            "creating": True,
            "can_enrol": _enrolment_open(session),
        },
    )


@require_http_methods(["GET", "POST"])
@center_required
def candidate_edit(request: CenterRequest, session_id: int, candidate_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    candidate = _candidate_for_center(request, session, candidate_id)
    data = request.POST if request.method == "POST" else None
    from_roster = candidate.student_id is not None
    form: ExtraTimeForm | CandidateForm
    if from_roster:
        form = ExtraTimeForm(
            data,
            initial={
                "extra_time_percentage": candidate.extra_time_percentage,
                "needs_adjustment": candidate.needs_adjustment,
            },
        )
    else:
        form = CandidateForm.for_candidate(candidate, data, billing=not request.center.is_school)
    if request.method == "POST" and form.is_valid():
        if isinstance(form, CandidateForm):
            new = form.to_data()
        else:  # from the roster: the extra time and the adjustment alone
            new = replace(CandidateData.of(candidate), **form.cleaned_data)
        try:
            candidate_update(candidate=candidate, data=new, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Les informations du candidat ont été modifiées."))
            return redirect(_candidates_url(session))
    return render(
        request,
        "sessions_app/candidate_form.html",
        {
            "session": session,
            "tab": "candidates",
            "form": form,
            "candidate": candidate,
            "creating": False,
            "can_enrol": _enrolment_open(session),
        },
    )


@require_POST
@center_required
def candidate_delete_view(request: CenterRequest, session_id: int, candidate_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    candidate = _candidate_for_center(request, session, candidate_id)
    if request.POST.get("confirmer") != "1":
        return render(
            request,
            "sessions_app/candidate_delete_confirm.html",
            {"session": session, "tab": "candidates", "candidate": candidate},
        )
    try:
        candidate_delete(candidate=candidate, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Le candidat %(name)s a été supprimé de la session.") % {"name": candidate.full_name}
        )
    return redirect(_candidates_url(session))


# ---------------------------------------------------------------- ODS round-trip (other centres)


@require_GET
@center_required
def candidates_ods_download(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    filename, content = candidates_ods(session)
    return downloads.attachment(filename, content, ODS_MIMETYPE)


@require_POST
@center_required
def candidates_import(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if request.center.is_school:
        messages.error(request, NOT_FOR_SCHOOLS)
        return redirect(_candidates_url(session))
    form = CandidatesImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, session, import_form=form, status=400)
    try:
        result = read_candidates(form.cleaned_data["file"].read())
    except OdsFileError as error:
        form.add_error("file", str(error))
        return _render_list(request, session, import_form=form, status=400)
    if not result.is_valid:
        form.add_error(
            "file",
            _("Le fichier contient %(n)s erreur(s) : aucun candidat n'a été importé.") % {"n": len(result.errors)},
        )
        return _render_list(
            request, session, import_form=form, import_errors=[str(e) for e in result.errors], status=400
        )
    try:
        count = candidates_replace_from_import(session=session, rows=result.rows, by=request.user)
    except DomainError as error:
        form.add_error("file", error.message)
        return _render_list(request, session, import_form=form, status=400)
    messages.success(request, _("La liste des candidats a été importée : %(n)s candidat(s).") % {"n": count})
    return redirect(_candidates_url(session))


# ---------------------------------------------------------------- students by class (schools)


def _certifiability(student: Student) -> tuple[str, str]:
    """(label, badge class) for a student: certifiable, not certifiable or unknown profile."""
    if student.user_id is None:
        return _("Profil inconnu (pas de compte Pix)"), "badge-neutral"
    profile = getattr(student.user, "profile", None)
    if profile is None:
        return _("Profil inconnu (aucun profil)"), "badge-neutral"
    if profile.is_certifiable:
        return _("Certifiable"), "badge-success"
    return _("Non certifiable"), "badge-error"


def _roster_queryset(request: CenterRequest) -> tuple[QuerySet[Student], str, str]:
    division = request.GET.get("classe", "").strip()
    name = request.GET.get("nom", "").strip()[:100]
    qs = Student.objects.filter(center=request.center)
    if division:
        qs = qs.filter(division=division)
    for word in name.split():
        qs = qs.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return qs, division, name


def _divisions(request: CenterRequest) -> list[str]:
    return list(
        Student.objects.filter(center=request.center).values_list("division", flat=True).distinct().order_by("division")
    )


def _filter_query(division: str, name: str) -> str:
    return urlencode({k: v for k, v in (("classe", division), ("nom", name)) if v})


@require_GET
@center_required
def enrol_students(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if not request.center.is_school:
        messages.error(request, SCHOOL_ONLY)
        return redirect(_candidates_url(session))
    qs, division, name = _roster_queryset(request)
    qs = (
        qs.select_related("user__profile")
        .annotate(enrolled=Exists(Candidate.objects.filter(session=session, student=OuterRef("pk"))))
        .order_by("division", "last_name", "first_name", "id")
    )
    page = Paginator(qs, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    select_all = request.GET.get("tout") == "1"
    rows = [
        {"student": s, "certifiability": _certifiability(s), "checked": select_all and not s.enrolled} for s in page
    ]
    query = _filter_query(division, name)
    return render(
        request,
        "sessions_app/students_enrol.html",
        {
            "session": session,
            "tab": "candidates",
            "rows": rows,
            "page": page,
            "divisions": _divisions(request),
            "division": division,
            "name": name,
            "query": query,
            "selected_count": sum(1 for r in rows if r["checked"]),
            "can_enrol": _enrolment_open(session),
        },
    )


@require_POST
@center_required
def enrol_students_submit(request: CenterRequest, session_id: int) -> HttpResponse:
    session = session_for_center(request, session_id)
    if not request.center.is_school:
        messages.error(request, SCHOOL_ONLY)
        return redirect(_candidates_url(session))
    back_query = urlencode(
        [(k, v) for k, v in parse_qsl(request.POST.get("retour", "")) if k in {"classe", "nom", "page"}]
    )
    back = reverse("enrolment:enrol_students", args=[session.pk]) + (f"?{back_query}" if back_query else "")
    try:
        ids = sorted({int(value) for value in request.POST.getlist("students")})
    except ValueError:
        messages.error(request, _("La sélection d'élèves est invalide."))
        return redirect(back)
    if not ids:
        messages.error(request, _("Sélectionnez au moins un élève."))
        return redirect(back)
    if request.POST.get("confirmer") != "1":
        chosen = list(
            Student.objects.filter(center=request.center, pk__in=ids)
            .select_related("user__profile")
            .exclude(candidates__session=session)
            .order_by("last_name", "first_name")
        )
        doubtful = [(s, _certifiability(s)) for s in chosen if _certifiability(s)[1] != "badge-success"]
        if doubtful:
            return render(
                request,
                "sessions_app/students_enrol_confirm.html",
                {
                    "session": session,
                    "tab": "candidates",
                    "ids": ids,
                    "doubtful": doubtful,
                    "back": back,
                    "back_query": back_query,
                },
            )
    try:
        created = students_enrol(session=session, student_ids=ids, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if created:
        messages.success(request, ADDED_MESSAGE)
    else:
        messages.info(request, _("Les élèves sélectionnés étaient déjà inscrits à la session."))
    return redirect(_candidates_url(session))


# ---------------------------------------------------------------- school roster ("Élèves")


def _school_admin_center(request: CenterRequest) -> None:
    if not request.center.is_school:
        raise Http404


def _render_roster(request: CenterRequest, *, form=None, errors=None, status=200) -> HttpResponse:
    qs, division, name = _roster_queryset(request)
    qs = qs.select_related("user__profile").order_by("division", "last_name", "first_name", "id")
    page = Paginator(qs, ROSTER_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions_app/students_list.html",
        {
            "rows": [{"student": s, "certifiability": _certifiability(s)} for s in page],
            "page": page,
            "total": page.paginator.count,
            "divisions": _divisions(request),
            "division": division,
            "name": name,
            "query": _filter_query(division, name),
            "form": form or StudentsImportForm(),
            "errors": (errors or [])[:MAX_ERRORS_SHOWN],
            "errors_total": len(errors or []),
        },
        status=status,
    )


@require_GET
@center_required(admin=True)
def student_list(request: CenterRequest) -> HttpResponse:
    _school_admin_center(request)
    return _render_roster(request)


@require_POST
@center_required(admin=True)
def students_import_view(request: CenterRequest) -> HttpResponse:
    _school_admin_center(request)
    form = StudentsImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_roster(request, form=form, status=400)
    try:
        result = read_students(form.cleaned_data["file"].read())
    except StudentsFileError as error:
        form.add_error("file", str(error))
        return _render_roster(request, form=form, status=400)
    if not result.is_valid:
        form.add_error(
            "file",
            _("Le fichier contient %(n)s erreur(s) : aucun élève n'a été importé.") % {"n": len(result.errors)},
        )
        return _render_roster(request, form=form, errors=result.errors, status=400)
    try:
        created, updated = students_import(center=request.center, rows=result.rows, by=request.user)
    except DomainError as error:
        form.add_error("file", error.message)
        return _render_roster(request, form=form, status=400)
    messages.success(
        request,
        _("Import terminé : %(created)s élève(s) ajouté(s), %(updated)s élève(s) mis à jour.")
        % {"created": created, "updated": updated},
    )
    return redirect("enrolment:students")


# ---------------------------------------------------------------- pupils' accounts (schools)

PDF_TYPE = "application/pdf"


@require_POST
@center_required(admin=True)
def students_create_accounts_view(request: CenterRequest) -> HttpResponse:
    """Accounts for the pupils of a class who have none; answers with the sheet to print."""
    _school_admin_center(request)
    division = request.POST.get("classe", "").strip()[:64]
    if not division:
        messages.error(request, _("Choisissez une classe."))
        return redirect("enrolment:students")
    try:
        lines = students_create_accounts(center=request.center, division=division, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("enrolment:students")
    if not lines:
        messages.info(
            request,
            _(
                "Tous les élèves de la classe %(division)s ont déjà un compte : réinitialisez le mot de passe "
                "d'un élève depuis la liste."
            )
            % {"division": division},
        )
        return redirect(f"{reverse('enrolment:students')}?{urlencode({'classe': division})}")
    filename, content = student_accounts_pdf(center_name=request.center.name, lines=lines, title=division)
    return downloads.attachment(filename, content, PDF_TYPE)


@require_POST
@center_required(admin=True)
def student_password_reset_view(request: CenterRequest, student_id: int) -> HttpResponse:
    """A new one-time password for one pupil; answers with that pupil's sheet."""
    _school_admin_center(request)
    student = get_for_center(request, Student.objects.select_related("user"), pk=student_id)
    try:
        line = student_reset_password(student=student, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("enrolment:students")
    title = f"{student.last_name} {student.first_name}"
    filename, content = student_accounts_pdf(center_name=request.center.name, lines=[line], title=title)
    return downloads.attachment(filename, content, PDF_TYPE)
