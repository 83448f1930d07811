from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pixcertif.accounts.models import Membership
from pixcertif.accounts.tenancy import center_required


@center_required
def team(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(center=request.center)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return render(request, "accounts/team.html", {"memberships": memberships})


@login_required
def documentation(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/documentation.html")
