"""Results by class for school centres: the published certifications of the centre's pupils, the
class CSV, and one PDF holding every validated certificate of a class, one per page, in name order.

A pupil is a candidate linked to a student of the centre's roster; the class is the student's
("division"). Names are sorted as people read them: case, accents and hyphens ignored.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from finalisation.results.rows import CSV_HEADERS, ResultRow, csv_cells, published_certifications
from pixcertif import exports, pdf
from pixcertif.accounts.language import language_of
from pixcertif.accounts.models import CertificationCenter
from sessions_app.models import JuryStatus, Session, SessionStatus, Student
from sessions_app.normalize import normalize_name

CLASS_CSV_HEADERS = ["Classe", *CSV_HEADERS]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PupilResult(ResultRow):
    """A result row with the pupil's class."""

    @property
    def division(self) -> str:
        return self.candidate.student.division

    @property
    def session(self) -> Session:
        return self.candidate.session


def center_divisions(center: CertificationCenter) -> list[str]:
    """Every class of the centre's roster, in order."""
    return list(
        Student.objects.filter(center=center).order_by("division").values_list("division", flat=True).distinct()
    )


def center_published_sessions(center: CertificationCenter) -> list[Session]:
    """The centre's published sessions, most recent first."""
    return list(Session.objects.filter(center=center, status=SessionStatus.PUBLISHED).order_by("-date", "-time", "-pk"))


def _name_key(row: PupilResult) -> tuple:
    candidate = row.candidate
    return (
        normalize_name(candidate.last_name),
        normalize_name(candidate.first_name),
        candidate.birth_date,
        candidate.session.date,
        row.certification.pk,
    )


def pupil_results(
    center: CertificationCenter, *, division: str = "", session_id: int | None = None
) -> list[PupilResult]:
    """The published certifications of the centre's pupils (one query), by name."""
    certifications = published_certifications().filter(
        candidate__session__center=center, candidate__student__center=center
    )
    if division:
        certifications = certifications.filter(candidate__student__division=division)
    if session_id:
        certifications = certifications.filter(candidate__session_id=session_id)
    rows = [PupilResult(c) for c in certifications.select_related("candidate__student", "user")]
    return sorted(rows, key=_name_key)


def _slug(division: str) -> str:
    return slugify(division).upper() or "classe"


def class_results_csv(rows: list[PupilResult], *, division: str) -> tuple[str, bytes]:
    """The class's results, as the session CSV: UTF-8 with BOM, `;`, no formula; the class first."""
    lines: list[list[object]] = [list(CLASS_CSV_HEADERS)]
    lines += [[row.division, *csv_cells(row)] for row in rows]
    return f"resultats_classe_{_slug(division)}.csv", exports.csv_bytes(lines)


def validated(rows: list[PupilResult]) -> list[PupilResult]:
    return [row for row in rows if row.certification.jury_status == JuryStatus.VALIDATED]


CERTIFICATE_PAGE_CACHE_TIMEOUT = 60 * 60 * 24 * 14  # two weeks: a class downloads its certificates for days


def _page_key(html: str) -> str:
    """A certificate page's cache key: the hash of everything it is made of (identity, levels, status
    shown, language, style, WeasyPrint's version). A jury's correction changes the page, so its key."""
    import weasyprint

    digest = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()
    return f"certificate-page:{digest}"


# A preparation step (one request) renders at most this many pages: about 2 s of WeasyPrint.
PREPARATION_STEP_PAGES = 25


def _certificate_pages(rows: list[PupilResult], *, verification_url: str) -> list[dict]:
    """The validated certificates of `rows`, each as {lang, body, key} (templates only: cheap)."""
    pages = []
    for row in validated(rows):
        language = language_of(row.certification.user)
        with translation.override(language):
            context = {"row": row, "session": row.session, "verification_url": verification_url}
            body = mark_safe(render_to_string("results/_certificate_body.html", context))
        page = {"lang": language, "body": body}
        page["key"] = _page_key(render_to_string("results/class_certificates.html", {"pages": [page]}))
        pages.append(page)
    return pages


def _render_pages(pages: list[dict], *, base_url: str, division: str = "") -> tuple[dict[str, bytes] | None, bytes]:
    """Render `pages` in one WeasyPrint document (titled for `division`), cut it into one PDF per
    page, keep them in the cache. Returns (the pages made, by key; the whole document); the pages
    are None when a certificate ran onto a second page (then nothing is kept)."""
    from pypdf import PdfReader, PdfWriter

    html = render_to_string("results/class_certificates.html", {"pages": pages, "division": division})
    document = pdf.render_pdf(html, base_url=base_url)
    rendered = PdfReader(io.BytesIO(document))
    if len(rendered.pages) != len(pages):
        return None, document
    made = {}
    for page, rendered_page in zip(pages, rendered.pages, strict=True):
        single = PdfWriter()
        single.add_page(rendered_page)
        made[page["key"]] = _pdf_bytes(single)
    cache.set_many(made, timeout=CERTIFICATE_PAGE_CACHE_TIMEOUT)
    return made, document


def _missing(pages: list[dict], stored: dict) -> list[dict]:
    return list({page["key"]: page for page in pages if page["key"] not in stored}.values())


def prepare_class_certificates(
    rows: list[PupilResult], *, base_url: str, verification_url: str, limit: int | None = None
) -> tuple[int, int]:
    """One step of the class PDF's preparation: render at most `limit` of the pages not in the cache
    yet. Returns (pages ready, pages in all). The cache is the job's state: any app server takes the
    next step, two steps at once only render a page twice."""
    pages = _certificate_pages(rows, verification_url=verification_url)
    stored = cache.get_many([page["key"] for page in pages])
    missing = _missing(pages, stored)
    if missing:
        made, _document = _render_pages(missing[: limit or PREPARATION_STEP_PAGES], base_url=base_url)
        if made is None:  # pages that cannot be kept: the download renders the whole class itself
            return len(pages), len(pages)
        stored.update(made)
    return sum(1 for page in pages if page["key"] in stored), len(pages)


# The publication of sessions renders at most this many pages ahead of time (about 2 s of WeasyPrint).
PUBLICATION_PAGES = 40


def prepare_published_certificates(sessions: Iterable[Session], *, limit: int | None = None) -> int:
    """Render ahead of time the certificate pages of the school pupils of `sessions` (just
    published), at most `limit` in all, as the school's download will ask for them (French page,
    the site's address), into the shared cache: the class PDF then only puts pages together. A
    session of no school (no pupil) costs a query. Best effort: a failure is logged, the publication
    stands and the download renders the pages itself. Returns the number of pages rendered."""
    rendered, limit = 0, PUBLICATION_PAGES if limit is None else limit
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for session in sessions:
                if rendered >= limit:
                    break
                pages = _certificate_pages(
                    pupil_results(session.center, session_id=session.pk),
                    verification_url=settings.SITE_URL + reverse("results:verification"),
                )
                missing = _missing(pages, cache.get_many([page["key"] for page in pages]))[: limit - rendered]
                if missing:
                    _render_pages(missing, base_url=settings.SITE_URL + "/")
                    rendered += len(missing)
    except Exception:  # a cache warmed ahead of time: never worth failing the publication for
        logger.exception("class certificates: pages not rendered at publication")
    return rendered


def class_certificates_pdf(
    rows: list[PupilResult], *, division: str, base_url: str, verification_url: str
) -> tuple[str, bytes]:
    """Every validated certificate of `rows` in one PDF, one A4 page each, in the order given (by
    name); each page in its pupil's language, as the pupil's own download.

    Each page is kept in the shared cache (Django's: the database, or Redis), keyed by the hash of
    its HTML: only the pages never made (or changed since: a correction) are rendered, all in one
    WeasyPrint document, then the pages are put together with pypdf. With no page kept (cold), the
    WeasyPrint document of the whole class is the download (no pypdf merge: 1.3 s of 150 pages).
    A cancelled certificate is no longer validated: it is left out. No state in a process: any app
    server reuses any page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    pages = _certificate_pages(rows, verification_url=verification_url)
    stored = cache.get_many([page["key"] for page in pages])
    missing = _missing(pages, stored)
    if pages and len(missing) == len(pages):
        # None kept (cold), or a certificate ran onto a second page: the class is the document
        # rendered (its pages kept for the next download when they could be cut).
        _made, document = _render_pages(pages, base_url=base_url, division=division)
        return _class_filename(division), document
    if missing:
        made, _document = _render_pages(missing, base_url=base_url)
        if made is None:  # a certificate ran onto a second page: the class in one document, uncached
            _made, document = _render_pages(pages, base_url=base_url, division=division)
            return _class_filename(division), document
        stored.update(made)
    writer = PdfWriter()
    for page in pages:
        writer.append(PdfReader(io.BytesIO(stored[page["key"]])))
    # Pages rendered together share their fonts: keep one copy.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    title = _("Attestations de certification Pix — classe %(division)s") % {"division": division}
    writer.add_metadata({"/Title": title})
    # The document's language, as WeasyPrint sets it from <html lang> (the downloader's).
    writer.root_object[NameObject("/Lang")] = TextStringObject(translation.get_language())
    return _class_filename(division), _pdf_bytes(writer)


def _class_filename(division: str) -> str:
    return f"attestations_classe_{_slug(division)}.pdf"


def _pdf_bytes(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
