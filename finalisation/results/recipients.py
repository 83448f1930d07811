"""Results recipients ("destinataires des résultats"): one e-mail per address at publication, with a
signed link valid 30 days to the results of the candidates that address receives.

The link carries the session number and the address, signed with the site's secret key
(django.core.signing): nothing is stored, a tampered link fails the signature, an old one expires.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pixcertif.accounts.language import recipient_language
from pixcertif.accounts.models import Membership
from sessions_app.models import Candidate, Session

LINK_VALIDITY = timedelta(days=30)
SALT = "finalisation.results.recipient"


class LinkExpired(Exception):
    """A genuine results link older than LINK_VALIDITY (shown as 410)."""


class LinkInvalid(Exception):
    """A tampered or unknown results link (shown as 404)."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def recipient_token(*, session: Session, email: str) -> str:
    return signing.dumps({"s": session.pk, "e": normalize_email(email)}, salt=SALT, compress=True)


def read_recipient_token(token: str) -> tuple[int, str]:
    """(session id, e-mail) of a valid link; raises LinkExpired or LinkInvalid."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALIDITY)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("e"), str):
        raise LinkInvalid
    return data["s"], data["e"]


def recipients_of(session: Session) -> dict[str, list[Candidate]]:
    """Distinct recipient addresses (case-insensitive) of the candidates who took the test."""
    grouped: dict[str, list[Candidate]] = {}
    candidates = (
        Candidate.objects.filter(session=session, certification__isnull=False)
        .exclude(result_recipient_email="")
        .select_related("user")
    )
    for candidate in candidates.order_by("last_name", "first_name", "pk"):
        grouped.setdefault(normalize_email(candidate.result_recipient_email), []).append(candidate)
    return grouped


def send_recipient_emails(session: Session) -> int:
    """One e-mail per distinct recipient address; returns how many were sent."""
    messages = []
    for email, candidates in recipients_of(session).items():
        link = settings.SITE_URL + reverse("results:recipient", args=[recipient_token(session=session, email=email)])
        context = {"session": session, "candidates": candidates, "link": link, "validity_days": LINK_VALIDITY.days}
        # The recipient's account language, else the candidates' (a school's address has no account).
        users = [candidate.user for candidate in candidates]
        with translation.override(recipient_language(email, users=users)):
            subject = render_to_string("results/email/recipient_subject.txt", context).strip()
            body = render_to_string("results/email/recipient.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def send_referent_email(session: Session) -> str:
    """The centre's "Référent Pix" gets one e-mail per published session, with a link to the
    session's results in Pix Certif (they log in as a member). Returns the address, or "" when the
    centre has no referent."""
    referent = Membership.objects.filter(center_id=session.center_id, is_referent=True).select_related("user").first()
    if referent is None:
        return ""
    user = referent.user
    if not user.email:  # a member's account always has one (a pupil's, without, is no member)
        return ""
    link = settings.SITE_URL + reverse("results:session_results", args=[session.pk])
    context = {"session": session, "link": link, "referent": user}
    with translation.override(recipient_language(user.email, users=[user])):
        subject = render_to_string("results/email/referent_subject.txt", context).strip()
        body = render_to_string("results/email/referent.txt", context)
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return user.email
