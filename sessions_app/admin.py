from django.contrib import admin

from sessions_app.models import AuditEvent, CandidateProfile, Challenge, Student


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["code", "competence", "level", "type", "timer_seconds", "is_active"]
    list_filter = ["competence", "level", "type", "is_active", "has_image", "has_attachment", "has_embed", "is_focus"]
    search_fields = ["code", "instruction"]


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "updated_at"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "division", "birth_date", "ine", "center"]
    list_filter = ["center", "division"]
    search_fields = ["last_name", "first_name", "ine"]
    autocomplete_fields = ["user"]


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
