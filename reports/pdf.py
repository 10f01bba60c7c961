"""ReportData -> PDF with WeasyPrint: tagged PDF/UA-1, local resources only, cached.

One FontConfiguration and one parsed stylesheet serve every render in the process (parsing
them is a large share of a cold render). Rendering never touches the network: the URL
fetcher serves only data: URIs and files inside the project's static and template folders.
Rendered PDFs are cached on disk under a key made from everything that can change the output.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, path2url

from reports import charts
from reports.rows import ReportData
from reports.storage import report_storage

TEMPLATE = "reports/pdf/report.html"
LAYOUT_DIR = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf"
STYLESHEET = LAYOUT_DIR / "report.css"
_lock = threading.Lock()


FONT_DIRS = (
    Path(settings.BASE_DIR) / "static" / "vendor" / "fonts",  # Inter, copied by `make assets`
    Path(settings.BASE_DIR) / "static" / "fonts",  # our own cut of Inter's symbols
)


@cache
def layout_version() -> str:
    """A hash of the report's templates, stylesheet and vendored fonts: changing any of them
    (a glyph added to the symbols font, say) invalidates the cache."""
    digest = hashlib.sha256()
    fonts = [path for folder in FONT_DIRS if folder.is_dir() for path in sorted(folder.iterdir())]
    for path in [*sorted(LAYOUT_DIR.iterdir()), *fonts]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class LocalOnlyFetcher(URLFetcher):
    """Refuses every URL but data: and files under the project's own folders."""

    allowed_roots = (Path(settings.BASE_DIR) / "static", Path(settings.BASE_DIR) / "templates")

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, timeout=1)

    def fetch(self, url: str, headers=None):
        match = UNICODE_SCHEME_RE.match(url)
        if match and match[1].lower() == "file":
            # Read exactly the file that was checked: its canonical URL, not the one given.
            url = path2url(self.allowed_path(url))
        return super().fetch(url, headers)

    def allowed_path(self, url: str) -> Path:
        """The file a file: URL names, if it is inside an allowed folder; else ValueError.

        Percent-decoded first (as the opener will), then resolved (`..` and symbolic links),
        and only then compared with the allowed folders: checking the undecoded text would
        let `static/%2e%2e/%2e%2e/etc/passwd` through.
        """
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refusing a file URL on another host while rendering: {url}")
        try:
            path_text = unquote(parts.path, errors="strict")
        except UnicodeDecodeError as exc:
            raise ValueError(f"Refusing a file URL that is not UTF-8: {url}") from exc
        if unquote(path_text) != path_text:
            raise ValueError(f"Refusing a percent-encoded file URL twice over: {url}")
        if "\\" in path_text or "\x00" in path_text or not path_text.startswith("/"):
            raise ValueError(f"Refusing a file URL that is not a plain absolute path: {url}")
        path = Path(path_text).resolve()
        if not any(path.is_relative_to(root.resolve()) for root in self.allowed_roots):
            raise ValueError(f"Refusing to read {path} while rendering a report")
        return path


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet(path: Path = STYLESHEET) -> CSS:
    return CSS(filename=str(path), font_config=_font_config(), url_fetcher=LocalOnlyFetcher())


def _document(html: str) -> HTML:
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalOnlyFetcher())


def write_pdf(html: str, stylesheet: Path = STYLESHEET) -> bytes:
    """Every paper Planprofil renders goes through here: the local-only fetcher, one font
    configuration and one lock (a FontConfiguration is not safe to share between threads
    rendering at the same time), tagged PDF/UA-1."""
    with _lock:
        return _document(html).write_pdf(
            stylesheets=[_stylesheet(stylesheet)],
            font_config=_font_config(),
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
            custom_metadata=True,
        )


def page_count(html: str, stylesheet: Path = STYLESHEET) -> int:
    """How many pages the document fills, laid out but not written."""
    with _lock:
        document = _document(html).render(
            stylesheets=[_stylesheet(stylesheet)], font_config=_font_config()
        )
    return len(document.pages)


def stored_once(name: str, render: Callable[[], bytes]) -> str:
    """Store what `render` makes under `name` (a content hash) unless it is there already."""
    storage = report_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(render()))
    return name


# The charts name "Inter" for the web page; in the PDF that name could match an installed
# Inter instead of the vendored one (see report.css), so chart text uses the stylesheet's names.
_SVG_FONT = re.compile(r'font-family="[^"]*"')
PDF_FONTS = 'font-family="Planprofil Inter, Planprofil Symbols, DejaVu Sans"'


def _svg_data_uri(svg: str) -> str:
    svg = _SVG_FONT.sub(PDF_FONTS, svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_html(report: ReportData, *, appendices: bool = True) -> str:
    """The HTML the PDF is rendered from; the appendices (method, peers, answers, references)
    are left out when `appendices` is false."""
    change = {(row.is_dimension, row.key): row for row in report.change}
    with translation.override(report.language):
        bars = charts.theme_bars_svg(report)
        radar = charts.dimension_radar_svg(report)
        context = {
            "report": report,
            "appendices": appendices,
            # The change since the previous round sits in the profile's own tables.
            "dimension_rows": [(d, change.get((True, d.key))) for d in report.dimensions],
            "theme_rows": [(t, change.get((False, t.key))) for t in report.themes],
            "recommendations": [
                (rec, report.reference_numbers.get(rec.key, ()), report.approach_notes.get(rec.key))
                for rec in report.recommendations
            ],
            "bars_src": _svg_data_uri(bars),
            "bars_alt": charts.alt_text_themes(report),
            "radar_src": _svg_data_uri(radar),
            "radar_alt": charts.alt_text_dimensions(report),
        }
        if report.gaps:
            context["gaps_src"] = _svg_data_uri(charts.role_gap_svg(report))
            context["gaps_alt"] = charts.alt_text_gaps(report)
        return render_to_string(TEMPLATE, context)


def standalone_html(report: ReportData, *, appendices: bool = True) -> str:
    """The same HTML with the stylesheet inline, so that `weasyprint OUT.html out.pdf` renders
    the same document: the charts are data: URIs already, the stylesheet's font URLs are
    rewritten from the template folder to paths from the project root, and a <base> element
    names the project root, so the file can be written anywhere."""
    html = report_html(report, appendices=appendices)
    css = STYLESHEET.read_text().replace('url("../../../static/', 'url("static/')
    # Relative URLs resolve against the project root wherever the file is written.
    base = f'<base href="{Path(settings.BASE_DIR).resolve().as_uri()}/">'
    html = html.replace("<head>", f"<head>\n{base}", 1)
    return html.replace("</head>", f"<style>\n{css}</style>\n</head>", 1)


def render_pdf(report: ReportData, *, appendices: bool = True) -> bytes:
    return write_pdf(report_html(report, appendices=appendices))


def cache_key(report: ReportData, *, appendices: bool = True) -> str:
    payload = json.dumps(
        [layout_version(), asdict(report), appendices], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def cached_pdf_name(report: ReportData, *, appendices: bool = True) -> str:
    """The stored name of the PDF for this exact report content, rendered at most once per
    content (the cache key covers the data, the template, the stylesheet and whether the
    appendices are included)."""
    return stored_once(
        f"{cache_key(report, appendices=appendices)}.pdf",
        lambda: render_pdf(report, appendices=appendices),
    )


def open_cached_pdf(report: ReportData, *, appendices: bool = True) -> File:
    return report_storage().open(cached_pdf_name(report, appendices=appendices), "rb")


def cached_pdf(report: ReportData, *, appendices: bool = True) -> bytes:
    with open_cached_pdf(report, appendices=appendices) as handle:
        return handle.read()
