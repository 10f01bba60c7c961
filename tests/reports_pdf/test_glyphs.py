"""Every character the demo's papers show is drawn by the font that shows it.

For each page of the report (appendices included) and, when it exists, the council paper
(reports/council_paper_pdf.py), in nb, nn and en: every code of every text-showing operation
maps (ToUnicode) to a glyph the embedded font program holds (tests/reports_pdf/glyphs.py says
exactly what is checked). Before issue 14 the ▲ marking large gaps was drawn with a glyph id
from the system's Inter inside the vendored subset, which has no such glyph: readers saw
blanks. test_the_check_finds_a_glyph_the_font_lacks shows the check catching that.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from weasyprint import HTML

from reports import pdf
from reports.report import build_report
from tests.reports_pdf.glyphs import check_pdf
from tests.reports_pdf.make_symbol_font import SYMBOLS, TARGET

LANGUAGES = ("nb", "nn", "en")
HAS_COUNCIL_PAPER = importlib.util.find_spec("reports.council_paper_pdf") is not None


def _papers(assessment, language: str) -> dict[str, bytes]:
    report = build_report(assessment, language=language)
    papers = {"report": pdf.render_pdf(report)}
    if HAS_COUNCIL_PAPER:
        from reports.council_paper_pdf import render_paper_pdf
        from reports.paper_store import build_paper

        papers["council paper"] = render_paper_pdf(build_paper(assessment, language=language))
    return papers


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_character_of_the_demo_papers_is_in_its_font(demo, language):
    report = build_report(demo, language=language)
    assert any(g.large for g in report.gaps), "the demo should show the ▲ marker"
    for name, data in _papers(demo, language).items():
        problems = check_pdf(data)
        assert not problems, f"{name} ({language}): {len(problems)} characters drawn blank:\n" + (
            "\n".join(map(str, problems[:20]))
        )


def test_the_council_paper_is_checked_when_it_exists():
    """Says which papers the test above covers, rather than skipping one silently."""
    assert HAS_COUNCIL_PAPER, "reports/council_paper_pdf.py is missing: only the report is checked"


def _symbols_pdf() -> bytes:
    fonts = pdf.settings.BASE_DIR / "static" / "vendor" / "fonts"
    html = f"""<style>
      @font-face {{ font-family: "Planprofil Inter";
                   src: url("{fonts}/inter-latin-400-normal.woff2"); }}
      @font-face {{ font-family: "Planprofil Symbols";
                   src: url("{TARGET}"); }}
      body {{ font-family: "Planprofil Inter", "Planprofil Symbols", sans-serif; }}
    </style><p>▲ Planstrategi</p>"""
    return HTML(string=html, base_url=str(fonts)).write_pdf()


def test_the_check_finds_a_glyph_emptied_from_the_embedded_font():
    """The same PDF as the passing one below, with the ▲'s outline removed from the embedded
    symbols font (as a subset drops a glyph it was not told about): the check reports the ▲
    and nothing else."""
    with pikepdf.open(io.BytesIO(_symbols_pdf())) as doc:
        for page in doc.pages:
            for font in page.resources.Font.values():
                if "Symbols" not in str(font.BaseFont):
                    continue
                stream = font.DescendantFonts[0].FontDescriptor.FontFile2
                program = TTFont(io.BytesIO(stream.read_bytes()))
                name = program.getBestCmap()[ord("▲")]
                program["glyf"][name] = Glyph()  # an empty glyph: nothing to draw
                out = io.BytesIO()
                program.save(out)
                stream.write(out.getvalue())
        corrupted = io.BytesIO()
        doc.save(corrupted)
    problems = check_pdf(corrupted.getvalue())
    assert [p.text for p in problems] == ["▲"], problems


def test_the_check_finds_the_old_blank_marker():
    """old_gap_page_nb.pdf is page 7 of the demo report as the code before issue 14 rendered
    it (nb; the role-gap note and table): the check must find every ▲ on it, which the old
    PDF drew with glyph 1745 of the system's Inter inside a 515-glyph subset, and nothing
    else."""
    problems = check_pdf((Path(__file__).parent / "old_gap_page_nb.pdf").read_bytes())
    assert {p.text for p in problems} == {"▲"}, problems
    assert len(problems) == 5  # once in the note, four times in the table (marked rows)
    assert all("not in the font" in p.why for p in problems)


def test_the_check_passes_the_same_text_in_the_symbols_font():
    assert check_pdf(_symbols_pdf()) == []


def test_the_symbols_font_has_every_symbol_and_the_body_font_does_not():
    """The vendored symbols font holds what make_symbol_font.py cut, and the body font still
    lacks the ▲ (if a new Inter subset had it, the symbols font could go)."""
    symbols = TTFont(TARGET).getBestCmap()
    assert all(ord(c) in symbols for c in SYMBOLS)
    vendored = pdf.settings.BASE_DIR / "static" / "vendor" / "fonts"
    body = TTFont(vendored / "inter-latin-400-normal.woff2").getBestCmap()
    assert ord("▲") not in body
