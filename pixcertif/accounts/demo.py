"""Demo data step 0 (see `manage.py seed_demo`): the demo accounts, the two demo centres and their
teams. Idempotent; password `pixcertif` everywhere. The apps' demo steps build on these names."""

from __future__ import annotations

from typing import TextIO

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
    """The demo account of `email` (created once, with the demo password and the terms accepted)."""
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


def seed_demo(stdout: TextIO) -> None:
    users = {email: demo_user(email, first, last, staff=staff) for email, first, last, staff in ACCOUNTS}
    school, _ = CertificationCenter.objects.get_or_create(
        name=SCHOOL_NAME, defaults={"type": CertificationCenter.Type.SCO, "external_id": "0751234A"}
    )
    pro, _ = CertificationCenter.objects.get_or_create(name=PRO_NAME, defaults={"type": CertificationCenter.Type.PRO})
    for email, center, role in [
        ("admin@college.example", school, Membership.Role.ADMIN),
        ("membre@college.example", school, Membership.Role.MEMBER),
        ("admin@centre-pro.example", pro, Membership.Role.ADMIN),
    ]:
        Membership.objects.get_or_create(user=users[email], center=center, defaults={"role": role})
