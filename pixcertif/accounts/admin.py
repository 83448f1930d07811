from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from pixcertif.accounts.models import CertificationCenter, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "center"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "cgu_accepted_at"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__center__type"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "cgu_accepted_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),
    )


@admin.register(CertificationCenter)
class CertificationCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "external_id", "created_at"]
    list_filter = ["type"]
    search_fields = ["name", "external_id"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "center", "role", "created_at"]
    list_filter = ["role", "center__type"]
    search_fields = ["user__email", "user__last_name", "center__name"]
    autocomplete_fields = ["user", "center"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "center", "role", "status", "created_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "center__name"]
    readonly_fields = ["token", "created_at", "updated_at"]
