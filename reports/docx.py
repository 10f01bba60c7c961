"""CouncilPaper -> Word (DOCX) with python-docx, for municipal case-handling systems.

Real structure, no layout: the case title as Heading 1, the sections as Heading 2, the
resolution as a numbered list ("List Number"), findings as a bulleted list, the case facts as
plain paragraphs (no tables), the document's language set in its default run properties and
core properties, and the running label (with the draft mark) in the page header.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from reports.council_paper import CouncilPaper

# BCP 47 tags Word understands; "nn" alone is not in Word's list.
WORD_LANGUAGE = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
ACCENT = RGBColor(0x15, 0x44, 0x6A)


def _set_language(document, tag: str) -> None:
    """Spelling and read-aloud language of every run, through the default run properties."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)
    document.core_properties.language = tag


def _page_field(paragraph: Paragraph, instruction: str) -> None:
    """A PAGE or NUMPAGES field, which Word and LibreOffice fill in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.05
    for name, size in (("Heading 1", 15), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.font.name = "Calibri"
        style.paragraph_format.space_before = Pt(10 if name == "Heading 2" else 0)
        style.paragraph_format.space_after = Pt(4)
    for name in ("List Number", "List Bullet"):
        document.styles[name].paragraph_format.space_after = Pt(3)


def render_docx(paper: CouncilPaper) -> bytes:
    with translation.override(paper.language):
        document = Document()
        _styles(document)
        _set_language(document, WORD_LANGUAGE.get(paper.language, paper.language))
        properties = document.core_properties
        properties.title = f"{paper.kind}: {paper.title} – {paper.municipality}"
        properties.author = "Planprofil"
        properties.subject = paper.title

        section = document.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(22), Mm(20)
        header = section.header.paragraphs[0]
        header.text = f"{paper.running_label}\t\t{paper.kind}"
        header.style = document.styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(pgettext("footer: Page X of Y", "Page") + " ")
        _page_field(footer, "PAGE")
        footer.add_run(" " + pgettext("footer: Page X of Y", "of") + " ")
        _page_field(footer, "NUMPAGES")

        kind = document.add_paragraph()
        run = kind.add_run(paper.kind.upper())
        run.bold = True
        run.font.color.rgb = ACCENT
        document.add_heading(paper.title, level=1)
        for notice in paper.notices:
            document.add_paragraph(notice).runs[0].italic = True
        for label, value in paper.facts:
            fact = document.add_paragraph()
            fact.paragraph_format.space_after = Pt(0)
            fact.add_run(f"{label}: ")
            fact.add_run(value).bold = True

        for part in paper.sections:
            document.add_heading(part.heading, level=2)
            for block in part.blocks:
                if block.kind == "ul":
                    for item in block.items:
                        document.add_paragraph(item, style="List Bullet")
                else:
                    document.add_paragraph(block.text)

        document.add_heading(paper.resolution_heading, level=2)
        document.add_paragraph(paper.resolution_lead)
        for point in paper.resolution:
            document.add_paragraph(point, style="List Number")
        if paper.attachments:
            document.add_heading(_("Attachments"), level=2)
            for item in paper.attachments:
                document.add_paragraph(item)

        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
