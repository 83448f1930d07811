"""The certificate ("attestation") of a validated, published certification, as a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from finalisation.results.rows import ResultRow
from pixcertif import pdf
from pixcertif.accounts.language import language_of
from sessions_app.models import Certification


def certificate_pdf(certification: Certification, *, base_url: str, verification_url: str) -> tuple[str, bytes]:
    """The certificate ("attestation") of a validated, published certification, as a PDF, in the
    candidate's language (their account's; French when they never chose), whoever downloads it."""
    row = ResultRow(certification)
    with translation.override(language_of(certification.user)):
        html = render_to_string(
            "results/certificate.html",
            {"row": row, "session": certification.candidate.session, "verification_url": verification_url},
        )
    return f"attestation_certification_pix_{certification.verification_code}.pdf", pdf.render_pdf(
        html, base_url=base_url
    )
