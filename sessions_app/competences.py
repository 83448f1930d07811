"""The 16 competences of the Pix framework, and the certifiability rule."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The framework's names are interface labels (translated); the question bank itself stays French.
COMPETENCES: list[tuple[str, Promise]] = [
    ("1.1", _("Mener une recherche et une veille d'information")),
    ("1.2", _("Gérer des données")),
    ("1.3", _("Traiter des données")),
    ("2.1", _("Interagir")),
    ("2.2", _("Partager et publier")),
    ("2.3", _("Collaborer")),
    ("2.4", _("S'insérer dans le monde numérique")),
    ("3.1", _("Développer des documents textuels")),
    ("3.2", _("Développer des documents multimédia")),
    ("3.3", _("Adapter les documents à leur finalité")),
    ("3.4", _("Programmer")),
    ("4.1", _("Sécuriser l'environnement numérique")),
    ("4.2", _("Protéger les données personnelles et la vie privée")),
    ("4.3", _("Protéger la santé, le bien-être et l'environnement")),
    ("5.1", _("Résoudre des problèmes techniques")),
    ("5.2", _("Construire un environnement numérique")),
]
COMPETENCE_CODES: list[str] = [code for code, _name in COMPETENCES]
COMPETENCE_NAMES: dict[str, Promise] = dict(COMPETENCES)

MIN_LEVEL, MAX_LEVEL = 0, 8
CERTIFIABLE_MIN_COMPETENCES = 5


def is_certifiable(levels: Mapping[str, int] | None) -> bool:
    """Level 1 or more in at least 5 competences."""
    if not levels:
        return False
    return sum(1 for code in COMPETENCE_CODES if int(levels.get(code, 0) or 0) >= 1) >= CERTIFIABLE_MIN_COMPETENCES
