"""The certificate ("attestation") of a validated, published certification, as a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string

from finalisation.results.rows import ResultRow
from sessions_app.models import Certification


def certificate_pdf(certification: Certification, *, base_url: str, verification_url: str) -> tuple[str, bytes]:
    """The certificate ("attestation") of a validated, published certification, as a PDF."""
    from weasyprint import HTML

    row = ResultRow(certification)
    html = render_to_string(
        "results/certificate.html",
        {"row": row, "session": certification.candidate.session, "verification_url": verification_url},
    )
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    return f"attestation_certification_pix_{certification.verification_code}.pdf", pdf
