"""The request's current certification centre, and scoped loading of centre-owned objects.

Every view that shows or changes something a centre owns goes through `center_required` and
loads objects with `get_for_center`: another centre's object is a 404 (we never reveal that it
exists), a role that is too low is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import quote

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pixcertif.accounts.models import CertificationCenter, Membership, User
from pixcertif.core.htmx import HtmxDetails

SESSION_KEY = "current_center_id"


class HtmxRequest(HttpRequest):
    """Any request, as `HtmxMiddleware` (every request goes through it) leaves it: for type checkers."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A request of a logged-in account (`login_required` let it through): for type checkers."""

    user: User


class CenterRequest(AuthenticatedRequest):
    """A request `center_required` let through: a member's, with the centre they work on now."""

    center: CertificationCenter
    membership: Membership


M = TypeVar("M", bound=Model)


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("center").order_by("center__name"))
        user._memberships_cache = cached
    return cached


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership of the centre the user works on now (the centre switcher picks it)."""
    if hasattr(request, "_current_membership"):
        return getattr(request, "_current_membership")  # noqa: B009 (set below, per request)
    memberships = memberships_of(request.user)
    chosen = None
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for membership in memberships:
        if membership.center_id == wanted:
            chosen = membership
            break
    if chosen is None and memberships:
        chosen = memberships[0]
    setattr(request, "_current_membership", chosen)  # noqa: B010 (a per-request cache, not a declared attribute)
    return chosen


def current_center(request: HttpRequest) -> CertificationCenter | None:
    membership = current_membership(request)
    return membership.center if membership else None


def switch_center(request: HttpRequest, center_id: int) -> bool:
    for membership in memberships_of(request.user):
        if membership.center_id == center_id:
            request.session[SESSION_KEY] = center_id
            setattr(request, "_current_membership", membership)  # noqa: B010
            return True
    return False


def center_required(view: Callable | None = None, *, admin: bool = False) -> Callable:
    """Require a logged-in member of a centre (an ADMIN when `admin=True`).

    Sets `request.center` and `request.membership`. Anonymous users go to the login page
    (with `next`); users of no centre get a 403 page that points them to the invigilator space.
    """

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?next={quote(request.get_full_path(), safe='/')}")
            membership = current_membership(request)
            if membership is None:
                raise PermissionDenied(_("Vous n'êtes membre d'aucun centre de certification."))
            if admin and not membership.is_admin:
                raise PermissionDenied(_("Cette action est réservée aux administrateurs du centre."))
            member_request = cast(CenterRequest, request)
            member_request.membership = membership
            member_request.center = membership.center
            return func(member_request, *args, **kwargs)

        return wrapper

    if view is not None:
        return decorator(view)
    return decorator


def get_for_center(
    request: HttpRequest, queryset: QuerySet[M] | type[M], center_field: str = "center", **lookup: Any
) -> M:
    """Load one object owned by the request's current centre, or raise 404.

    `center_field` is the lookup path from the object to its centre, e.g. "session__center".
    """
    center = getattr(request, "center", None) or current_center(request)
    if center is None:
        raise Http404
    qs = queryset if isinstance(queryset, QuerySet) else queryset._default_manager.all()
    try:
        return qs.get(**{center_field: center}, **lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
