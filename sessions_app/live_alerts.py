"""What a candidate may report on a question ("Signaler un problème avec la question"): the
E categories of the incident report, worded for a pupil. The codes are those of
`sessions_app.report_categories` (E1–E12 without the retired E6, E7); a test keeps both tables in step."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# IssueReport.category of every question report (the group of sessions_app.report_categories).
QUESTION_GROUP = "E1-E12"

PUPIL_LABELS: dict[str, str | Promise] = {
    "E1": _("L'image ne s'affiche pas"),
    "E2": _("Le simulateur ou l'application ne s'affiche pas ou ne fonctionne pas"),
    "E3": _("Le fichier à télécharger ne se télécharge pas ou ne s'ouvre pas"),
    "E4": _("Le site à visiter est indisponible"),
    "E5": _("Le site à visiter est bloqué par le réseau de l'établissement"),
    "E8": _("J'ai un temps majoré et je n'ai pas eu le temps de répondre à la question chronométrée"),
    "E9": _("Le logiciel installé sur l'ordinateur ne fonctionne pas"),
    "E10": _("J'ai dû cliquer en dehors du cadre autorisé (question en mode focus)"),
    "E11": _("Une page « Oups une erreur est survenue » m'a obligé(e) à passer la question"),
    "E12": _("La question ne m'est pas accessible (par exemple à cause du daltonisme)"),
}

ALERT_CODES: frozenset[str] = frozenset(PUPIL_LABELS)


def pupil_label(code: str) -> str:
    return str(PUPIL_LABELS.get(code, code))
