"""The report ("signalement") categories of the incident report, as data.

One table read by the finalisation form, the admin and the documents (PV d'incident): groups as
the dialog shows them, each code with its French label and what it needs (details, a question
number). Codes that are not here do not exist: C3 and C5, E6 and E7 were retired by Pix.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DETAILS_MAX_LENGTH = 500


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise
    group: str  # key of the group, stored in IssueReport.category
    needs_details: bool
    needs_question: bool

    @property
    def is_question_issue(self) -> bool:
        return self.needs_question


@dataclass(frozen=True)
class Group:
    key: str  # e.g. "C1-C2", shown in bold before the title
    title: str | Promise
    help: str | Promise
    categories: tuple[Category, ...]

    @property
    def has_subcategories(self) -> bool:
        return len(self.categories) > 1


def _c(code: str, label: str | Promise, group: str, *, details: bool = True, question: bool = False) -> Category:
    return Category(code=code, label=label, group=group, needs_details=details, needs_question=question)


def _e(code: str, label: str | Promise) -> Category:
    return _c(code, label, "E1-E12", details=False, question=True)


GROUPS: tuple[Group, ...] = (
    Group(
        key="C1-C2",
        title=_("Modification infos candidat"),
        help=_("Il faut bien préciser la nature de l'information incorrecte et indiquer par quoi la remplacer."),
        categories=(
            _c("C1", _("Modification des prénom/nom/date de naissance"), "C1-C2"),
            _c("C2", _("Ajout/modification du temps majoré"), "C1-C2"),
        ),
    ),
    Group(
        key="C3-C4",
        title=_("Retard, absence ou départ"),
        help="",
        categories=(
            _c("C4", _("Était présent(e) mais a oublié de signer, ou a signé sur la mauvaise ligne"), "C3-C4"),
        ),
    ),
    Group(
        key="C6",
        title=_("Suspicion de fraude"),
        help=_("Un PV de fraude peut être joint à l'étape 2."),
        categories=(_c("C6", _("Suspicion de fraude"), "C6", details=False),),
    ),
    Group(
        key="C7",
        title=_("Incident technique non bloquant"),
        help=_("Exemples : l'ordinateur s'est éteint, lenteur du réseau…"),
        categories=(_c("C7", _("Incident technique non bloquant"), "C7"),),
    ),
    Group(
        key="C8",
        title=_("Incident lié au candidat non bloquant"),
        help=_("Exemples : a quitté temporairement la salle, est arrivé en retard, a dû se reconnecter…"),
        categories=(_c("C8", _("Incident lié au candidat non bloquant"), "C8"),),
    ),
    Group(
        key="E1-E12",
        title=_("Problème technique sur une question"),
        help=_(
            "Si un même problème est rencontré sur plusieurs questions, faites autant de signalements que de "
            "questions impactées."
        ),
        categories=(
            _e("E1", _("L'image ne s'affiche pas")),
            _e("E2", _("Le simulateur/l'application ne s'affiche pas ou ne fonctionne pas correctement")),
            _e("E3", _("Le fichier à télécharger ne se télécharge pas ou ne s'ouvre pas")),
            _e("E4", _("Le site à visiter est indisponible/en maintenance/inaccessible")),
            _e("E5", _("Le site est bloqué par les restrictions réseau de l'établissement (réseaux sociaux par ex.)")),
            _e(
                "E8",
                _("Le candidat bénéficie d'un temps majoré et n'a pas pu répondre à la question dans le temps imparti"),
            ),
            _e("E9", _("Le logiciel installé sur l'ordinateur n'a pas fonctionné")),
            _e(
                "E10",
                _("Le candidat a été contraint de cliquer en dehors du cadre autorisé pour une question en mode focus"),
            ),
            _e(
                "E11",
                _("Une page affichant « Oups une erreur est survenue » a contraint le candidat à passer la question"),
            ),
            _e("E12", _("Problème avec l'accessibilité de la question (ex : daltonisme)")),
        ),
    ),
)

CATEGORIES: dict[str, Category] = {category.code: category for group in GROUPS for category in group.categories}
GROUPS_BY_KEY: dict[str, Group] = {group.key: group for group in GROUPS}
CODE_CHOICES: list[tuple[str, str | Promise]] = [(code, category.label) for code, category in CATEGORIES.items()]
QUESTION_CODES: frozenset[str] = frozenset(code for code, category in CATEGORIES.items() if category.needs_question)


def category_for(code: str) -> Category | None:
    return CATEGORIES.get(code)


def label_for(code: str) -> str:
    """'C1 Modification des prénom/nom/date de naissance'; an unknown code is shown as is."""
    category = CATEGORIES.get(code)
    return f"{code} {category.label}" if category else code
