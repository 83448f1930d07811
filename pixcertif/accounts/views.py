from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixcertif.accounts import services, throttle
from pixcertif.accounts.forms import ChoosePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm, SignupForm
from pixcertif.accounts.tenancy import AuthenticatedRequest, memberships_of, switch_center

# django-axes locks an (account, address) pair after 5 failures; this is the ceiling per address
# across accounts (one address spraying many accounts), loose enough for a school behind one NAT.
LOGIN_GUARD = throttle.Guard("login", per_account=None, per_address=200)


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` parameter, only if it points to this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def landing_url(user) -> str:
    """Members of a centre land on their sessions; anybody else on the invigilator entry."""
    if memberships_of(user):
        return reverse("sessions_app:list")
    return reverse("invigilation:entry")


@login_required
@require_GET
def landing(request: AuthenticatedRequest) -> HttpResponse:
    return redirect(landing_url(request.user))


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return safe_next(self.request) or landing_url(self.request.user)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if LOGIN_GUARD.is_blocked(request):
            return render(request, "accounts/lockout.html", {"from_network": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.has_error("__all__", "invalid_login"):
            LOGIN_GUARD.record_failure(self.request)
        return super().form_invalid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Vous êtes déconnecté(e)."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and form.is_valid():
        user = services.user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Votre compte a été créé."))
        return redirect(safe_next(request) or landing_url(user))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def choose_password(request: AuthenticatedRequest) -> HttpResponse:
    """First login with a one-time password: the account chooses its own password."""
    if not request.user.must_change_password:
        return redirect(safe_next(request) or landing_url(request.user))
    form = ChoosePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_choose_password(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Votre mot de passe a été enregistré."))
        return redirect(safe_next(request) or landing_url(request.user))
    return render(request, "accounts/choose_password.html", {"form": form, "next": safe_next(request)})


@require_http_methods(["GET", "POST"])
def cgu(request: HttpRequest) -> HttpResponse:
    """The terms of use: anybody may read them; a logged-in account accepts them once."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:cgu')}")
        return render(request, "accounts/cgu.html", {"accepted": False})
    target = safe_next(request) or landing_url(request.user)
    if request.user.cgu_accepted_at is not None:
        if request.method == "POST":
            return redirect(target)
        return render(request, "accounts/cgu.html", {"accepted": True, "next": target})
    error = ""
    if request.method == "POST":
        if request.POST.get("accept") == "on":
            services.user_accept_terms(user=request.user)
            return redirect(target)
        error = _("Vous devez accepter les conditions générales d'utilisation pour continuer.")
    return render(request, "accounts/cgu.html", {"accepted": False, "next": target, "error": error})


@login_required
@require_POST
def switch_center_view(request: AuthenticatedRequest) -> HttpResponse:
    try:
        center_id = int(request.POST.get("center", ""))
    except ValueError:
        center_id = -1
    if not switch_center(request, center_id):
        messages.error(request, _("Vous n'êtes pas membre de ce centre."))
    return HttpResponseRedirect(reverse("sessions_app:list"))


@require_GET
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/legal.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/accessibility.html")


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
