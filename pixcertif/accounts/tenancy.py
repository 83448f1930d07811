"""The request's current certification centre, and scoped loading of centre-owned objects.

Every view that shows or changes something a centre owns goes through `center_required` and
loads objects with `get_for_center`: another centre's object is a 404 (we never reveal that it
exists), a role that is too low is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pixcertif.accounts.models import CertificationCenter, Membership

SESSION_KEY = "current_center_id"

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
        return request._current_membership
    memberships = memberships_of(request.user)
    chosen = None
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for membership in memberships:
        if membership.center_id == wanted:
            chosen = membership
            break
    if chosen is None and memberships:
        chosen = memberships[0]
    request._current_membership = chosen
    return chosen


def current_center(request: HttpRequest) -> CertificationCenter | None:
    membership = current_membership(request)
    return membership.center if membership else None


def switch_center(request: HttpRequest, center_id: int) -> bool:
    for membership in memberships_of(request.user):
        if membership.center_id == center_id:
            request.session[SESSION_KEY] = center_id
            request._current_membership = membership
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
            request.membership = membership
            request.center = membership.center
            return func(request, *args, **kwargs)

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
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
