"""Build `DejaVuSansForms.ttf`, the font of every PDF form field, from Debian's DejaVu Sans.

    .venv/bin/python -m pixcertif.fonts.build_form_font [/path/to/DejaVuSans.ttf]

Why: WeasyPrint embeds the font of a form field whole (a viewer draws what the user types with
it, so it may need any glyph), and DejaVu Sans whole is 740 KB — the incident report was 437 KB
for two pages. This font is DejaVu Sans cut to the characters a French form is filled with
(Basic Latin, Latin-1, Latin Extended-A and B — œ, ł, ș, ğ… —, quotes, dashes, ellipsis, €),
no hinting and no layout tables (a viewer lays out a field's text itself): about 45 KB, 25 KB
compressed in the PDF. The text of the page itself is still DejaVu Sans, subset by WeasyPrint.

Renamed "DejaVu Sans Forms" (the Bitstream Vera licence asks a modified font to be renamed, not to
"Bitstream" or "Vera"; DejaVu's changes are public domain); the copyright and licence names kept.
The output is committed (the same bytes on every rebuild); rebuild it only if the character set
below changes (tests/pixcertif/test_pdf.py checks its coverage).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TARGET = Path(__file__).resolve().parent / "DejaVuSansForms.ttf"
FAMILY = "DejaVu Sans Forms"
POSTSCRIPT_NAME = "DejaVuSansForms"

# Inclusive code point ranges.
RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement: à é è ç ô « » ° …
    (0x0100, 0x017F),  # Latin Extended-A: œ Œ ł ğ š ž …
    (0x0180, 0x024F),  # Latin Extended-B: ș ț ǎ …
    (0x2010, 0x2027),  # dashes, quotes ‘ ’ “ ” „, bullet, ellipsis
    (0x2030, 0x2030),  # ‰
    (0x2039, 0x203A),  # ‹ ›
    (0x20AC, 0x20AC),  # €
    (0x2122, 0x2122),  # ™
    (0x2212, 0x2212),  # minus sign
]


def code_points() -> list[int]:
    return [code for first, last in RANGES for code in range(first, last + 1)]


def build(source: Path = SOURCE, target: Path = TARGET) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # with the copyright and the licence
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG", "MATH"]
    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every rebuild
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        new = {1: FAMILY, 4: FAMILY, 16: FAMILY, 6: POSTSCRIPT_NAME, 3: f"{POSTSCRIPT_NAME}-subset"}.get(record.nameID)
        if new is not None:
            names.setName(new, record.nameID, record.platformID, record.platEncID, record.langID)
    font.save(target)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
    print(f"{TARGET} ({TARGET.stat().st_size / 1024:.0f} KB)")
