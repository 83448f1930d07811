from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pixcertif.accounts.tenancy import current_membership, memberships_of


def current_center(request: HttpRequest) -> dict:
    """The current centre and the user's other centres, for the layout's centre switcher.

    Lazy: read only by the pages that show them (a candidate's question page never does, and so
    looks up no membership)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "current_center": SimpleLazyObject(lambda: _center(request)),
        "user_memberships": SimpleLazyObject(lambda: memberships_of(request.user)),
    }


def _center(request: HttpRequest):
    membership = current_membership(request)
    return membership.center if membership else None
