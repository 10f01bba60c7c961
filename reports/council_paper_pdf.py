"""CouncilPaper -> PDF with WeasyPrint, through the report's local-only fetcher and content-hash
cache (reports/pdf.py): the same guarantees as the report, tagged PDF/UA-1, rendered at most once
per content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from reports import pdf
from reports.council_paper import CouncilPaper
from reports.storage import report_storage

TEMPLATE = "reports/pdf/council_paper.html"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf" / "council_paper.css"


def paper_html(paper: CouncilPaper) -> str:
    with translation.override(paper.language):
        return render_to_string(TEMPLATE, {"paper": paper})


def render_paper_pdf(paper: CouncilPaper) -> bytes:
    return pdf.write_pdf(paper_html(paper), STYLESHEET)


def cache_key(paper: CouncilPaper) -> str:
    # layout_version() hashes every file in templates/reports/pdf, this paper's included.
    payload = json.dumps(
        ["council", pdf.layout_version(), asdict(paper)], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def cached_paper_pdf_name(paper: CouncilPaper) -> str:
    return pdf.stored_once(f"council-{cache_key(paper)}.pdf", lambda: render_paper_pdf(paper))


def open_cached_paper_pdf(paper: CouncilPaper):
    return report_storage().open(cached_paper_pdf_name(paper), "rb")


def page_count(paper: CouncilPaper) -> int:
    """How many pages the paper fills (laid out, not written): the edit page warns past two."""
    return pdf.page_count(paper_html(paper), STYLESHEET)
