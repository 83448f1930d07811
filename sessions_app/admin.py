from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.answers import solution_errors
from sessions_app.models import CandidateProfile, Challenge, Student


class ChallengeAdminForm(forms.ModelForm):
    """Refuses a solution that does not fit the proposals (e.g. "4" with three proposals)."""

    class Meta:
        model = Challenge
        fields = [
            "code",
            "competence",
            "level",
            "type",
            "is_active",
            "instruction",
            "proposals",
            "solution",
            "timer_seconds",
            "has_image",
            "has_attachment",
            "has_embed",
            "is_focus",
        ]
        help_texts = {
            "proposals": gettext_lazy(
                'Liste JSON, par exemple ["Réponse A", "Réponse B"] ; vide pour une réponse courte.'
            ),
            "solution": gettext_lazy(
                "Choix unique : le numéro de la bonne proposition (« 2 ») ; choix multiple : les numéros "
                "séparés par des virgules (« 1,3 ») ; réponse courte : les réponses acceptées séparées par « | »."
            ),
        }

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        proposals = cleaned.get("proposals") or []
        if not isinstance(proposals, list) or not all(isinstance(p, str) for p in proposals):
            self.add_error("proposals", _("Une liste de textes est attendue."))
            return cleaned
        errors = solution_errors(cleaned.get("type", ""), proposals, cleaned.get("solution") or "")
        if errors:
            self.add_error("solution", _("Solution invalide : %(errors)s.") % {"errors": " ; ".join(errors)})
        return cleaned


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    form = ChallengeAdminForm
    list_display = ["code", "competence", "level", "type", "timer_seconds", "has_image", "has_attachment", "is_active"]
    list_filter = ["competence", "level", "type", "is_active", "has_image", "has_attachment", "has_embed", "is_focus"]
    search_fields = ["code", "instruction"]
    fieldsets = [
        (None, {"fields": ["code", "competence", "level", "type", "is_active"]}),
        (gettext_lazy("Contenu"), {"fields": ["instruction", "proposals", "solution", "timer_seconds"]}),
        (gettext_lazy("Neutralisation"), {"fields": ["has_image", "has_attachment", "has_embed", "is_focus"]}),
    ]


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
