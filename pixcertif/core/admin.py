from django.contrib import admin

from pixcertif.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "center", "session_id_ref", "candidate_id_ref"]
    list_filter = ["action", "center"]
    search_fields = ["action", "actor__email", "session_id_ref"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
