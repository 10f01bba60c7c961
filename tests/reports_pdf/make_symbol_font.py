"""Write static/fonts/planprofil-symbols-400.ttf: the few symbols the report draws that
the vendored Inter subset (fontsource's "latin") lacks, cut from Inter itself.

The report marks large gaps with ▲ (U+25B2). fontsource ships Inter in Unicode-range subsets
and none of them holds the geometric shapes, so WeasyPrint fell back to whatever font the
machine had; with Debian's fonts-inter installed it drew the ▲ with that font's glyph id
inside the vendored subset's font object, and readers saw a blank. A symbols font of our own,
named so it cannot collide with an installed font, makes the glyph part of the project. It
lives in static/fonts (tracked), not static/vendor (copied by `make assets`, not tracked).

Source: Debian's fonts-inter (Inter 4, SIL Open Font License 1.1, no reserved font name), the
same design as the body text. The CFF outlines are converted to TrueType (quadratic) ones,
which WeasyPrint embeds as FontFile2 like the body font. Run once, from the project root:

    apt-get install -y fonts-inter
    .venv/bin/python tests/reports_pdf/make_symbol_font.py

tests/reports_pdf/test_glyphs.py checks that the file holds every symbol in SYMBOLS.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/inter/Inter-Regular.otf")
TARGET = Path(__file__).resolve().parents[2] / "static/fonts/planprofil-symbols-400.ttf"
FAMILY = "Planprofil Symbols"
# ▲▼△▽ markers, arrows, check marks and the maths signs a figure might carry.
SYMBOLS = "▲▼△▽●■↑↓←→✓✗≥≤≈±×−…"


def _to_truetype(font: TTFont) -> None:
    """CFF outlines -> glyf (the same conversion as fontTools' otf2ttf snippet)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in [
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0
    font.recalcBBoxes = True


def main() -> int:
    font = TTFont(SOURCE)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = [0, 13, 14]  # copyright and licence stay with the glyphs
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in SYMBOLS])
    subsetter.subset(font)
    _to_truetype(font)
    names = font["name"]
    for name_id, text in ((1, FAMILY), (2, "Regular"), (4, FAMILY), (6, "PlanprofilSymbols")):
        names.setName(text, name_id, 3, 1, 0x409)
    missing = [c for c in SYMBOLS if ord(c) not in font.getBestCmap()]
    if missing:
        print(f"Inter has no glyph for {''.join(missing)!r}", file=sys.stderr)
        return 1
    font.save(TARGET)
    print(f"Wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(SYMBOLS)} symbols)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
