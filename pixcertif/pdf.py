"""Every PDF the product writes goes through `render_pdf`: WeasyPrint, with the same options and fonts.

- The text of a page is DejaVu Sans, subset by WeasyPrint (only the glyphs printed are embedded).
- A form field (`pdf_forms`: the incident report, the fraud report) is drawn by the PDF viewer with
  the field's font, so WeasyPrint embeds that font whole: DejaVu Sans whole is 740 KB, and the
  incident report was 437 KB for two pages. Fields use "DejaVu Sans Forms" instead
  (`pixcertif/fonts/`, DejaVu Sans cut to the Latin characters a form is filled with: 45 KB), set
  by a stylesheet here for every <input>, <textarea> and <select>, so no template can bring the
  whole font back.
- WeasyPrint's user-agent stylesheet gives every element six pseudo-elements (`::marker`,
  `::footnote-call`, `::footnote-marker`, `::note-*`): each one's style is computed, for every
  element, and that was most of the "Applying CSS" step (0.4 s of 2.5 s for 30 certificates). Here
  `::marker` applies to list items only (the only elements that have one) and the footnote and note
  rules are gone (no document uses `float: footnote` or notes): the same PDFs, 5× less CSS time.
- WeasyPrint fetches nothing but that font: the documents embed no image or stylesheet, and a URL
  in user data (autoescaped anyway) can read no file and reach no server.
- The `FontConfiguration` (Fontconfig loading its configuration and font list, a Pango font map
  whose cache of loaded fonts and shaping data starts empty) and the parsed form stylesheet are made
  once per thread, not per PDF: WeasyPrint made them on every `write_pdf` call, a fixed 15 ms
  (and a cold font cache) of the incident report's 175 ms. Both are read-only once made (the
  `@font-face` file is written once; the caches they hold are keyed by font and line height, so
  bounded); per thread because a Pango font map is not meant to be shared between threads.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FORM_FONT = FONTS_DIR / "DejaVuSansForms.ttf"
FORM_FONT_FAMILY = "DejaVu Sans Forms"

FORM_STYLESHEET = f"""
@font-face {{ font-family: "{FORM_FONT_FAMILY}"; src: url("{FORM_FONT.as_uri()}"); }}
input, textarea, select {{ font-family: "{FORM_FONT_FAMILY}" !important; }}
"""


@cache
def _font_bytes(path: Path) -> bytes:
    """A font of `FONTS_DIR`, read once per process (immutable files of the repository)."""
    return path.read_bytes()


UA_UNIVERSAL_PSEUDO = re.compile(
    r"^::(footnote-call|footnote-marker|note-call|note-marker|note-callback) \{.*\}$", re.M
)
UA_MARKER = "::marker {"


@cache
def _user_agent_stylesheet():
    """WeasyPrint's HTML stylesheet without its rules for every element's pseudo-elements."""
    import weasyprint
    from weasyprint import CSS

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text()
    trimmed, removed = UA_UNIVERSAL_PSEUDO.subn("", source)
    if removed != 5 or source.count(f"\n{UA_MARKER}") != 1:  # another WeasyPrint: keep its stylesheet
        return weasyprint.UA_STYLESHEET
    return CSS(string=trimmed.replace(f"\n{UA_MARKER}", "\nli::marker, summary::marker {"))


@cache
def _html_class():
    from weasyprint import HTML, UA_FORM_STYLESHEET

    class Html(HTML):
        def _ua_stylesheets(self, forms=False):
            sheet = _user_agent_stylesheet()
            return [sheet, UA_FORM_STYLESHEET] if forms else [sheet]

    return Html


@cache
def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontsOnly(URLFetcher):
        """Serves the files of `FONTS_DIR`; any other URL fails (WeasyPrint logs it and goes on)."""

        def fetch(self, url, headers=None):
            for path in FONTS_DIR.glob("*.ttf"):
                if url == path.as_uri():
                    return URLFetcherResponse(url, _font_bytes(path), {"Content-Type": "font/ttf"})
            raise ValueError(f"PDF documents fetch no resource: {url}")

    return FontsOnly()


_per_thread = threading.local()


def _fonts(forms: bool):
    """This thread's `(FontConfiguration, stylesheets)` for a document with or without form fields:
    made on first use, then reused. Two configurations, so a document without fields has no
    "DejaVu Sans Forms" to fall back on."""
    key = "forms" if forms else "plain"
    fonts = getattr(_per_thread, key, None)
    if fonts is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        sheets = [CSS(string=FORM_STYLESHEET, font_config=font_config, url_fetcher=_url_fetcher())] if forms else []
        fonts = (font_config, sheets)
        setattr(_per_thread, key, fonts)
    return fonts


@contextmanager
def _collect_own_garbage() -> Iterator[None]:
    """Run the block with the objects that exist before it frozen (`gc.freeze`), then collect the
    block's garbage and unfreeze.

    A render makes some 100,000 objects, cycles among them (boxes, styles, layouts), alive until
    the PDF is written: they survive the young collections and reach the oldest generation, where
    only a full collection frees them, and a full collection walks every object of the process
    (Django, the templates, the fonts: 130,000 of them), some 80 ms, one render in five on the
    incident report. Frozen objects are skipped by every collection: the collections during the
    render walk its own objects only (the garbage of a long document is still freed as it goes),
    and the collection at the end frees what the render left, having walked its objects only.
    Nothing is left for a later full collection. `gc.freeze` and `gc.unfreeze` move lists, not
    objects (constant time). If objects are frozen already (another thread's render, or a server
    that froze its startup objects), the block runs as is: unfreezing would undo theirs."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
        gc.collect()
    finally:
        gc.unfreeze()


def render_pdf(html: str, *, base_url: str | None = None, forms: bool = False) -> bytes:
    """`html` as PDF bytes; `forms=True` makes its <input>/<textarea>/<select> editable fields."""
    with _collect_own_garbage():
        return _write_pdf(html, base_url, forms)  # its objects are garbage once it returns


def _write_pdf(html: str, base_url: str | None, forms: bool) -> bytes:
    document = _html_class()(string=html, base_url=base_url, url_fetcher=_url_fetcher())
    font_config, stylesheets = _fonts(forms)
    if not forms:
        return document.write_pdf(font_config=font_config)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_forms=True)
