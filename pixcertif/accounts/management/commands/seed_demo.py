"""Demo data, idempotent: run it as often as you like; password `pixcertif` everywhere.

Other modules add to it by defining `seed_demo(stdout)` in `<app>/demo.py`; this command calls
them in order, after the accounts and centres exist.
"""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from pixcertif.accounts.models import CertificationCenter, Membership, User

DEMO_PASSWORD = "pixcertif"
SCHOOL_NAME = "Collège Jean Moulin"
PRO_NAME = "Centre de formation Numérique Pro"

ACCOUNTS = [
    # email, first, last, staff
    ("admin@college.example", "Claire", "Martin", False),
    ("membre@college.example", "Hugo", "Bernard", False),
    ("admin@centre-pro.example", "Sophie", "Leroy", False),
    ("surveillant@demo.example", "Karim", "Benali", False),
    ("staff@pix.example", "Julie", "Pix", True),
]

# Run in this order; each module is optional until its issue lands.
DEMO_MODULES = [
    "sessions_app.demo_challenges",  # question bank (candidate side)
    "sessions_app.demo_sessions",  # sessions of both demo centres (sessions)
    "sessions_app.demo_enrolment",  # students, candidate accounts, profiles, enrolments (enrolment)
    "invigilation.demo",  # presence ticked, tests started and answered (invigilation)
    "finalisation.demo_finalisation",  # one session finalised with reports (finalisation)
    "finalisation.demo_results",  # one session processed and published (results)
]

LOGINS = """Comptes de démonstration (mot de passe : pixcertif)
  admin@college.example     administrateur du Collège Jean Moulin (SCO)
  membre@college.example    membre du Collège Jean Moulin
  admin@centre-pro.example  administratrice du centre PRO
  surveillant@demo.example  surveillant sans centre
  staff@pix.example         équipe Pix (/admin/)
  eleve01@college.example   élève inscrit à la session « Salle B12 » (eleve01 à eleve24)
  candidat01@centre-pro.example  candidat du centre PRO (candidat01 à candidat05)
  ines.moreau@demo.example  élève dont les résultats sont publiés (/mes-certifications)"""


def demo_user(email: str, first_name: str, last_name: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff,
            "is_superuser": staff,
            "cgu_accepted_at": timezone.now(),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Create (or refresh) the demo centres, accounts and data. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        users = {email: demo_user(email, first, last, staff=staff) for email, first, last, staff in ACCOUNTS}
        school, _ = CertificationCenter.objects.get_or_create(
            name=SCHOOL_NAME, defaults={"type": CertificationCenter.Type.SCO, "external_id": "0751234A"}
        )
        pro, _ = CertificationCenter.objects.get_or_create(
            name=PRO_NAME, defaults={"type": CertificationCenter.Type.PRO}
        )
        for email, center, role in [
            ("admin@college.example", school, Membership.Role.ADMIN),
            ("membre@college.example", school, Membership.Role.MEMBER),
            ("admin@centre-pro.example", pro, Membership.Role.ADMIN),
        ]:
            Membership.objects.get_or_create(user=users[email], center=center, defaults={"role": role})
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue
                raise
            module.seed_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(LOGINS)
