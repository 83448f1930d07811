from django.http import HttpRequest

from pixcertif.accounts.tenancy import current_membership, memberships_of


def current_center(request: HttpRequest) -> dict:
    """The current centre and the user's other centres, for the layout's centre switcher."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = current_membership(request)
    return {
        "current_membership": membership,
        "current_center": membership.center if membership else None,
        "user_memberships": memberships_of(request.user),
    }
