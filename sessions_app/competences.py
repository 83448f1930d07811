"""The 16 competences of the Pix framework, and the certifiability rule."""

from __future__ import annotations

from collections.abc import Mapping

COMPETENCES: list[tuple[str, str]] = [
    ("1.1", "Mener une recherche et une veille d'information"),
    ("1.2", "Gérer des données"),
    ("1.3", "Traiter des données"),
    ("2.1", "Interagir"),
    ("2.2", "Partager et publier"),
    ("2.3", "Collaborer"),
    ("2.4", "S'insérer dans le monde numérique"),
    ("3.1", "Développer des documents textuels"),
    ("3.2", "Développer des documents multimédia"),
    ("3.3", "Adapter les documents à leur finalité"),
    ("3.4", "Programmer"),
    ("4.1", "Sécuriser l'environnement numérique"),
    ("4.2", "Protéger les données personnelles et la vie privée"),
    ("4.3", "Protéger la santé, le bien-être et l'environnement"),
    ("5.1", "Résoudre des problèmes techniques"),
    ("5.2", "Construire un environnement numérique"),
]
COMPETENCE_CODES: list[str] = [code for code, _ in COMPETENCES]
COMPETENCE_NAMES: dict[str, str] = dict(COMPETENCES)

MIN_LEVEL, MAX_LEVEL = 0, 8
CERTIFIABLE_MIN_COMPETENCES = 5


def is_certifiable(levels: Mapping[str, int] | None) -> bool:
    """Level 1 or more in at least 5 competences."""
    if not levels:
        return False
    return sum(1 for code in COMPETENCE_CODES if int(levels.get(code, 0) or 0) >= 1) >= CERTIFIABLE_MIN_COMPETENCES
