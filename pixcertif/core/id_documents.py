"""The identity documents a candidate may show on the day of the test, shared by the user help
(`pixcertif.accounts`) and the invigilator kit (`sessions_app.documents`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# The FAQ's list ("Quelles pièces d'identités sont acceptées pour une session de certification ?").
ACCEPTED_ID_DOCUMENTS = [
    gettext_lazy("carte d'identité"),
    gettext_lazy("passeport"),
    gettext_lazy("permis de conduire"),
    gettext_lazy("titre ou carte de séjour"),
]
