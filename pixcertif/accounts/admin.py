from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from pixcertif.accounts.models import CertificationCenter, Invitation, Membership, User
from pixcertif.core.models import AuditEvent


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
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """An account named in the audit trail is deactivated, never deleted (the trail keeps its label)."""
        if obj is not None and AuditEvent.objects.filter(actor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, where the trail allows it
        return actions

    @admin.action(description=_("Désactiver les comptes sélectionnés"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        from pixcertif.core.audit import audit_record

        count = 0
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit_record(action="user.deactivate", by=request.user, user=user.pk)
            count += 1
        self.message_user(request, _("%(n)s compte(s) désactivé(s).") % {"n": count}, messages.SUCCESS)


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
