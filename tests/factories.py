"""factory_boy factories that build consistent objects, as the product would:

- a candidate's session, its student and the student's centre are one centre;
- a school (SCO) candidate comes from its student (same centre, same identity, the INE as local
  id); a candidate of another kind of centre has none;
- a certification's user is its candidate's user (a candidate who joined: `candidate.user` is set,
  with `linked_at`); building one for a candidate who has not joined links them;
- a certification built with `questions=[…]` stores them (index 0, 1, …) and its
  `challenge_count` is their number, as the start service leaves it.

A factory refuses to build what the product never holds (a user other than the candidate's, a
student of another centre) rather than let a test rely on it.
"""

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
    # A sequence, not Faker: two students of one class enrolled in one session never share a name
    # (the candidates' identity is unique per session).
    last_name = factory.Sequence(lambda n: f"Eleve{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = dt.date(2011, 3, 14)
    birth_city = "Paris"
    birth_country = "France"
    ine = factory.Sequence(lambda n: f"{n:09d}AB")


def _is_school(session: Session) -> bool:
    return session.center.type == CertificationCenter.Type.SCO


def _from_student(name: str, default):
    """A candidate field copied from its student, when it has one (the school's enrolment)."""
    return factory.LazyAttribute(lambda o: getattr(o.student, name) if o.student else default(o))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    session = factory.SubFactory(SessionFactory)
    # A school's candidates are its students (same centre); other centres enter them by hand.
    student = factory.Maybe(
        factory.LazyAttribute(lambda o: _is_school(o.session)),
        yes_declaration=factory.SubFactory(StudentFactory, center=factory.SelfAttribute("..session.center")),
        no_declaration=None,
    )
    last_name = factory.LazyAttributeSequence(lambda o, n: o.student.last_name if o.student else f"Nom{n}")
    first_name = _from_student("first_name", lambda o: "Camille")
    sex = "F"
    birth_date = _from_student("birth_date", lambda o: dt.date(2010, 5, 17))
    birth_city = _from_student("birth_city", lambda o: "Lyon")
    birth_insee_code = factory.LazyAttribute(lambda o: "" if o.student else "69123")
    birth_country = _from_student("birth_country", lambda o: "FRANCE")
    external_id = _from_student("ine", lambda o: "")
    identity_key = factory.LazyAttribute(lambda o: identity_key(o.first_name, o.last_name))
    user = None
    linked_at = factory.LazyAttribute(lambda o: timezone.now() if o.user else None)
    authorized_to_start = False
    authorized_at = factory.LazyAttribute(lambda o: timezone.now() if o.authorized_to_start else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        session, student = kwargs["session"], kwargs.get("student")
        if student is not None and student.center_id != session.center_id:
            raise ValueError("A candidate's student belongs to the session's centre.")
        if kwargs.get("billing_mode") and _is_school(session):
            raise ValueError("A school's candidates have no billing mode.")
        return super()._create(model_class, *args, **kwargs)


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
    """A started test of a candidate who joined the session with their account."""

    class Meta:
        model = Certification
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory, user=factory.SubFactory(UserFactory))
    user = factory.LazyAttribute(lambda o: o.candidate.user)
    started_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        candidate = kwargs["candidate"]
        user = kwargs.get("user") or candidate.user or UserFactory()
        if candidate.user_id is None:
            # The candidate joins (as `certification_join` leaves it) before the test starts.
            candidate.user, candidate.linked_at = user, candidate.linked_at or timezone.now()
            Candidate.objects.filter(pk=candidate.pk).update(user=user, linked_at=candidate.linked_at)
        elif candidate.user_id != user.pk:
            raise ValueError("A certification's user is its candidate's user.")
        kwargs["user"] = user
        return super()._create(model_class, *args, **kwargs)

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
