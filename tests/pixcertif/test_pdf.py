"""Every PDF through `pixcertif.pdf`: fonts subset (form fields in the small "DejaVu Sans Forms"),
small files, and nothing fetched but that font. Sizes are deterministic (unlike times): asserted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from pixcertif import pdf
from sessions_app import documents
from tests.factories import CenterFactory, SessionFactory
from tests.sessions_app.document_helpers import pdf_reader

FRENCH = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "àâäçéèêëîïôöùûüÿæœÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ«»‹›‘’“”–—…€°§²·×÷"
)
OTHER_LATIN = "ąćęłńśźżĄĆĘŁŃŚŹŻğışĞİŞșțȘȚčďěňřšťůžČĎĚŇŘŠŤŮŽåøÅØñÑãõß"


def embedded_fonts(content: bytes) -> dict[str, int]:
    """BaseFont name → size of the embedded font file, for every font of the PDF."""
    reader = pdf_reader(content)
    fonts: dict[str, int] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = len(descriptor["/FontFile2"].get_object().get_data())
    return fonts


def test_the_form_font_has_every_character_a_french_form_is_filled_with():
    cmap = TTFont(pdf.FORM_FONT).getBestCmap()
    missing = [char for char in FRENCH + OTHER_LATIN if ord(char) not in cmap]
    assert missing == []


def test_the_form_font_is_small_and_renamed():
    font = TTFont(pdf.FORM_FONT)
    assert font["name"].getDebugName(1) == pdf.FORM_FONT_FAMILY
    assert pdf.FORM_FONT.stat().st_size < 60_000  # DejaVu Sans whole: 757 KB


@pytest.fixture
def session(db):
    return SessionFactory(
        center=CenterFactory(name="Collège Jean Moulin"),
        address="Site Ariane",
        room="Salle B12",
        date=dt.date(2022, 1, 5),
        time=dt.time(15, 0),
        examiner="Julien Martin",
    )


@pytest.mark.parametrize("document", ["incident_report_pdf", "fraud_report_pdf"])
def test_an_editable_form_embeds_only_the_small_form_font_whole(session, document):
    _name, content = getattr(documents, document)(session)
    assert len(content) < 100_000  # 437 KB when the fields embedded DejaVu Sans whole
    fonts = embedded_fonts(content)
    forms_font = [name for name in fonts if name.endswith("+DejaVu-Sans-Forms")]
    assert len(forms_font) == 1
    # Every other font is a subset of the glyphs printed: a few KB each.
    assert all(size < 30_000 for name, size in fonts.items() if name not in forms_font), fonts
    # Every text field is drawn by the viewer with the form font (its /DA names that font).
    reader = pdf_reader(content)
    text_fields = []
    for page in reader.pages:
        keys = [key for key, font in page["/Resources"]["/Font"].items() if font["/BaseFont"] in forms_font]
        annotations = [annotation.get_object() for annotation in page.get("/Annots", [])]
        fields = [a for a in annotations if a.get("/FT") == "/Tx"]
        assert all(re.search(r"(/\S+) [\d.]+ Tf", field["/DA"])[1] in keys for field in fields), keys
        text_fields += fields
    assert text_fields


@pytest.mark.parametrize(
    "document",
    [
        "attendance_sheet_pdf",
        "invigilator_kit_pdf",
        "candidate_notice_pdf",
        "candidate_instructions_pdf",
    ],
)
def test_the_other_documents_embed_font_subsets_only(session, document):
    _name, content = getattr(documents, document)(session)
    assert len(content) < 60_000
    fonts = embedded_fonts(content)
    assert fonts
    assert not any("Forms" in name for name in fonts)
    assert all(size < 30_000 for size in fonts.values()), fonts


def test_a_pdf_fetches_nothing_but_its_fonts(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4), "red").save(secret)
    html = f'<p>Texte</p><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
    content = pdf.render_pdf(html, base_url=tmp_path.as_uri() + "/")
    page = pdf_reader(content).pages[0]
    assert "/XObject" not in page["/Resources"] or not page["/Resources"]["/XObject"]


def test_a_thread_reuses_its_fonts_and_form_stylesheet_another_thread_has_its_own():
    import threading

    assert pdf._fonts(forms=True) is pdf._fonts(forms=True)
    assert pdf._fonts(forms=True)[0] is not pdf._fonts(forms=False)[0]  # no form font in plain PDFs
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf._fonts(forms=True)))
    thread.start()
    thread.join()
    assert other[0][0] is not pdf._fonts(forms=True)[0]


def test_a_render_collects_its_own_garbage_and_leaves_the_collector_as_it_was():
    import gc

    pdf.render_pdf("<p>Texte</p>")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a server that froze its startup objects keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        pdf.render_pdf("<p>Texte</p>")
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
