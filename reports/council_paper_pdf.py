"""CouncilPaper -> PDF with WeasyPrint, through the report's local-only fetcher and content-hash
cache (reports/pdf.py): the same guarantees as the report, tagged PDF/UA-1, rendered at most once
per content."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reports.council_paper import CouncilPaper
from reports.pdf import LocalOnlyFetcher, layout_version
from reports.storage import report_storage

TEMPLATE = "reports/pdf/council_paper.html"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf" / "council_paper.css"
# reports/pdf.py keeps its font configuration and lock private; the paper keeps its own, since
# a FontConfiguration must not be shared by two renders at the same time.
_lock = threading.Lock()


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(filename=str(STYLESHEET), font_config=_font_config(), url_fetcher=LocalOnlyFetcher())


def paper_html(paper: CouncilPaper) -> str:
    with translation.override(paper.language):
        return render_to_string(TEMPLATE, {"paper": paper})


def render_paper_pdf(paper: CouncilPaper) -> bytes:
    html = HTML(
        string=paper_html(paper), base_url=str(settings.BASE_DIR), url_fetcher=LocalOnlyFetcher()
    )
    with _lock:
        return html.write_pdf(
            stylesheets=[_stylesheet()],
            font_config=_font_config(),
            pdf_variant="pdf/ua-1",
            custom_metadata=True,
        )


def cache_key(paper: CouncilPaper) -> str:
    # layout_version() hashes every file in templates/reports/pdf, this paper's included.
    payload = json.dumps(["council", layout_version(), asdict(paper)], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def cached_paper_pdf_name(paper: CouncilPaper) -> str:
    storage = report_storage()
    name = f"council-{cache_key(paper)}.pdf"
    if not storage.exists(name):
        storage.save(name, ContentFile(render_paper_pdf(paper)))
    return name


def open_cached_paper_pdf(paper: CouncilPaper):
    return report_storage().open(cached_paper_pdf_name(paper), "rb")


def page_count(paper: CouncilPaper) -> int:
    """How many pages the paper fills (laid out, not written): the edit page warns past two."""
    html = HTML(
        string=paper_html(paper), base_url=str(settings.BASE_DIR), url_fetcher=LocalOnlyFetcher()
    )
    with _lock:
        document = html.render(stylesheets=[_stylesheet()], font_config=_font_config())
    return len(document.pages)
