"""Which characters of a PDF's text layer its embedded fonts cannot draw.

A PDF can carry a character in its text layer (ToUnicode: copy, search, screen readers) that
the embedded font has no glyph for: readers then show a blank or a box, as the ▲ marker did.
This reads every text-showing operation (Tj, TJ, ' and ") on every page and in every form
XObject it draws (the charts), finds the font selected by the last Tf, and checks each code
against that font: the code must map to characters (ToUnicode), must name a real glyph of
the embedded font program (not .notdef, inside the font), and every character it stands
for must be in the font program's own cmap. Only what WeasyPrint writes is handled: Type0
fonts with Identity-H encoding and an identity CID-to-glyph map, TrueType (FontFile2) or
OpenType (FontFile3) programs; any other kind of font is reported as a problem, never passed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pikepdf
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Problem:
    page: int  # 1-based
    font: str
    text: str  # the characters the code stands for ("?" when it maps to nothing)
    why: str

    def __str__(self) -> str:
        return f"page {self.page}, {self.font}: {self.text!r} ({self.why})"


@dataclass(frozen=True, eq=False)  # hashed by identity, for drawable()'s cache
class _Font:
    name: str
    to_unicode: dict[int, str]
    glyph_count: int
    cmap: dict[int, str]  # code point -> glyph name, from the font program
    glyph_order: tuple[str, ...]
    program: TTFont | None = None
    error: str = ""

    @cache  # noqa: B019 - one _Font per embedded font, kept for one check_pdf call
    def drawable(self, gid: int, blank: bool) -> bool:
        """Whether the font program holds glyph `gid`: an outline, or for white space an
        advance width."""
        if self.program is None or not 0 < gid < self.glyph_count:
            return False
        name = self.glyph_order[gid]
        if blank:
            return self.program["hmtx"][name][0] > 0
        pen = BoundsPen(self.program.getGlyphSet())
        self.program.getGlyphSet()[name].draw(pen)
        return pen.bounds is not None


def _hex_text(value: str) -> str:
    data = bytes.fromhex(value)
    return data.decode("utf-16-be", errors="replace")


def parse_to_unicode(cmap: bytes) -> dict[int, str]:
    """bfchar and bfrange entries of a ToUnicode CMap: code -> text."""
    text = cmap.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = _hex_text(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, rest in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)", block
        ):
            start, end = int(low, 16), int(high, 16)
            if rest.startswith("["):
                for offset, target in enumerate(re.findall(r"<([0-9a-fA-F]*)>", rest)):
                    mapping[start + offset] = _hex_text(target)
            else:
                first = bytes.fromhex(rest[1:-1])
                for offset in range(end - start + 1):
                    # The last byte counts up through the range (PDF 32000, 9.10.3).
                    mapped = first[:-1] + bytes([first[-1] + offset])
                    mapping[start + offset] = mapped.decode("utf-16-be", errors="replace")
    return mapping


def _load_font(font: pikepdf.Dictionary) -> _Font:
    name = str(font.get("/BaseFont", "?"))
    to_unicode = parse_to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return _Font(name, to_unicode, 0, {}, (), "not a Type0 Identity-H font")
    descendant = font.DescendantFonts[0]
    if descendant.get("/CIDToGIDMap", pikepdf.Name.Identity) != pikepdf.Name.Identity:
        return _Font(name, to_unicode, 0, {}, (), "CIDs are not glyph ids")
    descriptor = descendant.FontDescriptor
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if stream is None:
        return _Font(name, to_unicode, 0, {}, (), "no embedded font program")
    if "/FontFile3" in descriptor and stream.get("/Subtype") != "/OpenType":
        return _Font(name, to_unicode, 0, {}, (), "a bare CFF program this check cannot read")
    program = TTFont(io.BytesIO(stream.read_bytes()))
    return _Font(
        name=name,
        to_unicode=to_unicode,
        glyph_count=program["maxp"].numGlyphs,
        cmap=dict(program.getBestCmap() or {}),
        glyph_order=tuple(program.getGlyphOrder()),
        program=program,
    )


def _operations(
    content: pikepdf.Object, resources: pikepdf.Dictionary, fonts: dict
) -> Iterator[tuple[_Font, bytes]]:
    """(font, string) for every string shown, descending into form XObjects."""
    font: _Font | None = None
    font_resources = resources.get("/Font", {})
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "Tf":
            ref = font_resources[operands[0]]
            key = ref.objgen if ref.objgen != (0, 0) else id(ref)
            if key not in fonts:
                fonts[key] = _load_font(ref)
            font = fonts[key]
        elif op in _TEXT_OPERATORS:
            strings = operands[0] if op == "TJ" else operands[-1:]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    if font is None:
                        raise AssertionError("text shown before any font was selected")
                    yield font, bytes(item)
        elif op == "Do":
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                yield from _operations(xobject, xobject.get("/Resources", resources), fonts)


def check_pdf(data: bytes) -> list[Problem]:
    """Every code shown in the PDF that its font cannot draw, page by page."""
    problems: list[Problem] = []
    fonts: dict = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for font, raw in _operations(page.obj, page.resources, fonts):
                problems += _check_string(number, font, raw)
    return problems


def _check_string(page: int, font: _Font, raw: bytes) -> list[Problem]:
    if font.error:
        return [Problem(page, font.name, raw.hex(), font.error)]
    problems = []
    for i in range(0, len(raw) - 1, 2):
        gid = int.from_bytes(raw[i : i + 2], "big")
        text = font.to_unicode.get(gid)
        if text is None:
            problems.append(Problem(page, font.name, "?", f"glyph {gid} maps to no character"))
            continue
        if not font.drawable(gid, blank=not text.strip()):
            problems.append(Problem(page, font.name, text, f"glyph {gid} is not in the font"))
            continue
        for char in text:
            # Where the cmap does name the character's glyph, it must be the one drawn or
            # one the font holds too (a cmap entry pointing at an emptied glyph is a broken
            # subset).
            name = font.cmap.get(ord(char))
            if (
                name is not None
                and name != font.glyph_order[gid]
                and char.strip()
                and not font.drawable(font.glyph_order.index(name), blank=False)
            ):
                problems.append(Problem(page, font.name, text, "its cmap glyph is empty"))
    return problems


@cache
def characters_of(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for (for tests that pick a glyph)."""
    return frozenset(TTFont(path).getBestCmap() or {})
