"""factory_boy factories. SubFactories keep one centre consistent: a candidate's session, its
student and the session share one centre unless told otherwise."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from pixcertif.accounts.models import CertificationCenter, Invitation, Membership, User
from sessions_app.codes import generate_access_code, generate_invigilator_password
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.models import (
    Candidate,
    CandidateProfile,
    Certification,
    CertificationChallenge,
    Challenge,
    ChallengeType,
    Session,
    Student,
)
from sessions_app.normalize import identity_key

PASSWORD = "pixcertif"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    cgu_accepted_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationCenter

    name = factory.Sequence(lambda n: f"Centre {n}")
    type = CertificationCenter.Type.SCO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    center = factory.SubFactory(CenterFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    center = factory.SubFactory(CenterFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.org")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    center = factory.SubFactory(CenterFactory)
    address = "Collège Jean Moulin"
    room = factory.Sequence(lambda n: f"Salle {n}")
    # Today from midnight: its tests may start at any hour the suite runs (the clock rules allow a
    # start on the session's date only); tests of other dates say so.
    date = factory.LazyFunction(timezone.localdate)
    time = dt.time(0, 0)
    examiner = "Mme Dupont"
    access_code = factory.LazyFunction(generate_access_code)
    invigilator_password = factory.LazyFunction(generate_invigilator_password)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    center = factory.SubFactory(CenterFactory)
    division = "3EME A"
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = dt.date(2011, 3, 14)
    birth_city = "Paris"
    birth_country = "France"
    ine = factory.Sequence(lambda n: f"{n:09d}AB")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    session = factory.SubFactory(SessionFactory)
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    sex = "F"
    birth_date = dt.date(2010, 5, 17)
    birth_city = "Lyon"
    birth_insee_code = "69123"
    birth_country = "FRANCE"
    identity_key = factory.LazyAttribute(lambda o: identity_key(o.first_name, o.last_name))
    authorized_to_start = False
    authorized_at = factory.LazyAttribute(lambda o: timezone.now() if o.authorized_to_start else None)


def certifiable_levels(level: int = 3, count: int = 16) -> dict[str, int]:
    return {code: (level if i < count else 0) for i, code in enumerate(COMPETENCE_CODES)}


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateProfile

    user = factory.SubFactory(UserFactory)
    levels = factory.LazyFunction(certifiable_levels)


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    code = factory.Sequence(lambda n: f"rec{n:05d}")
    competence = "1.1"
    level = 1
    type = ChallengeType.SINGLE
    instruction = "Quelle proposition est correcte ?"
    proposals = factory.LazyFunction(lambda: ["Réponse A", "Réponse B", "Réponse C"])
    solution = "1"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        """`CertificationFactory(questions=[challenge | {"challenge": …, "result": …}, …])`: the test's
        questions in order, and `challenge_count` stored with them as `certification_start` does (the
        answer's "last question?" reads it). A test that adds rows itself calls `store_length`."""
        if not create or not extracted:
            return
        rows = []
        for index, item in enumerate(extracted):
            fields = dict(item) if isinstance(item, dict) else {"challenge": item}
            fields.setdefault("competence", fields["challenge"].competence)
            rows.append(CertificationChallenge(certification=obj, index=index, **fields))
        CertificationChallenge.objects.bulk_create(rows)
        store_length(obj)


def store_length(certification: Certification) -> Certification:
    """Store the test's length after building its questions by hand (see CertificationFactory.questions)."""
    certification.challenge_count = CertificationChallenge.objects.filter(certification=certification).count()
    Certification.objects.filter(pk=certification.pk).update(challenge_count=certification.challenge_count)
    return certification


def make_bank(levels=range(1, 7), per_level: int = 3) -> list[Challenge]:
    """A small but complete challenge bank: every competence, every level, `per_level` each."""
    return Challenge.objects.bulk_create(
        [
            Challenge(
                code=f"bank-{code}-{level}-{i}",
                competence=code,
                level=level,
                type=ChallengeType.SINGLE,
                instruction=f"Question {code} niveau {level} n°{i}",
                proposals=["Bonne réponse", "Mauvaise réponse"],
                solution="1",
            )
            for code in COMPETENCE_CODES
            for level in levels
            for i in range(per_level)
        ]
    )
