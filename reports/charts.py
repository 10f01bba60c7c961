"""ReportData -> inline SVG charts.

matplotlib's Figure API only (never pyplot: it keeps global state and is not thread-safe).
Text stays text in the SVG (svg.fonttype 'none') so it scales, can be searched and is read
by screen readers; each chart carries a <title> as its text alternative and every chart is
shown next to a data table with the same numbers.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import re
from dataclasses import asdict, is_dataclass
from html import escape
from typing import TYPE_CHECKING, cast

import matplotlib
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from assessment.display import display_score
from reports.rows import ReportData

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
    from matplotlib.projections.polar import PolarAxes

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "planprofil",  # stable ids: the same data gives byte-identical SVG
        "font.family": ["Inter", "DejaVu Sans"],
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

# Designsystemet-like palette with at least 3:1 contrast against white (WCAG 1.4.11).
DIMENSION_COLOURS = ("#1e5a8a", "#8a4a00", "#2e6b35", "#6b3a87", "#8a1c3c")
TEXT = "#1e2b3c"
GRID = "#c7ced6"


_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)


def _style_to_attributes(match: re.Match[str]) -> str:
    # The Content-Security-Policy forbids inline styles, and a browser that drops them paints
    # every shape black. SVG presentation attributes carry the same values and are allowed.
    pairs = (item.split(":", 1) for item in match[1].split(";") if ":" in item)
    return " ".join(f'{name.strip()}="{escape(value.strip())}"' for name, value in pairs)


def _to_svg(fig: Figure, title: str, chart_id: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _METADATA.sub("", svg)  # RDF metadata is not valid inside HTML
    svg = _STYLE_ATTR.sub(_style_to_attributes, svg)
    # matplotlib numbers its ids from 1 in every figure; scope them so that several charts on
    # one page (and their clip paths) never share an id.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', svg)
    # Make it responsive and give it an accessible name.
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", svg, count=1)
    title_id = f"{chart_id}-title"
    svg = svg.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{title_id}" class="chart" id="{chart_id}"',
        1,
    )
    head_end = svg.index(">") + 1
    return svg[:head_end] + f'<title id="{title_id}">{escape(title)}</title>' + svg[head_end:]


def _cached(render):
    """Charts depend only on their data: keep each rendered SVG in the cache under a hash of
    the data, so a results page that is viewed again does not draw it again."""

    @functools.wraps(render)
    def wrapper(data, *args, **kwargs):
        payload = json.dumps(
            [
                render.__name__,
                get_language(),
                asdict(cast("DataclassInstance", data)) if is_dataclass(data) else data,
                args,
                kwargs,
            ],
            sort_keys=True,
            default=str,
        )
        key = "chart:" + hashlib.sha256(payload.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = render(data, *args, **kwargs)
            cache.set(key, svg, timeout=60 * 60 * 24)
        return svg

    return wrapper


@_cached
def theme_bars_svg(
    data: ReportData, *, title: str | None = None, chart_id: str = "theme-bars"
) -> str:
    themes = [t for t in data.themes]
    dims = [d.key for d in data.dimensions]
    height = 0.36 * len(themes) + 0.9
    fig = Figure(figsize=(6.4, height), dpi=72)
    ax = fig.add_subplot()
    labels = [t.name for t in themes]
    values = [t.score if t.score is not None else 0 for t in themes]
    colours = [
        DIMENSION_COLOURS[dims.index(t.dimension_key) % len(DIMENSION_COLOURS)] for t in themes
    ]
    y = list(range(len(themes)))[::-1]
    ax.barh(y, values, color=colours, height=0.65)
    for yi, theme in zip(y, themes, strict=True):
        text = "–" if theme.score is None else str(theme.score)
        ax.text(min((theme.score or 0) + 1.5, 96), yi, text, va="center", color=TEXT)
    ax.set_yticks(y, labels, color=TEXT)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    for band in data.bands[1:]:
        ax.axvline(band.min, color=GRID, linewidth=0.8, linestyle="--", zorder=0)
    ax.tick_params(colors=TEXT)
    alt = title or "; ".join(f"{t.name}: {'–' if t.score is None else t.score}" for t in themes)
    return _to_svg(fig, alt, chart_id)


@_cached
def dimension_radar_svg(
    data: ReportData, *, title: str | None = None, chart_id: str = "dimension-radar"
) -> str:
    names = [d.name for d in data.dimensions]
    values = [d.score or 0 for d in data.dimensions]
    count = len(names)
    angles = [2 * math.pi * i / count for i in range(count)]
    fig = Figure(figsize=(4.6, 4.2), dpi=72)
    ax = cast("PolarAxes", fig.add_subplot(projection="polar"))
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.plot([*angles, angles[0]], [*values, values[0]], color=DIMENSION_COLOURS[0], linewidth=2)
    ax.spines["polar"].set_color(GRID)
    ax.fill([*angles, angles[0]], [*values, values[0]], color=DIMENSION_COLOURS[0], alpha=0.18)
    ax.set_xticks(angles, [_wrap(n) for n in names], color=TEXT)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], color="#4a5561", fontsize=8)
    ax.grid(color=GRID)
    return _to_svg(fig, title or alt_text_dimensions(data), chart_id)


ROLE_COLOURS = {"politician": "#8a4a00", "administration": "#1e5a8a"}


@_cached
def role_gap_svg(data: ReportData, *, title: str | None = None, chart_id: str = "role-gaps") -> str:
    """Politicians against the administration per theme: two markers joined by a line.

    Where the groups agree the two markers fall on the same spot, so they are drawn to stay
    visible together: the administration as a large hollow square (outline only), the
    politicians as a smaller filled circle on top of it, which then reads as a circle inside
    a square (the legend says so)."""
    gaps = data.gaps
    fig = Figure(figsize=(6.4, 0.36 * len(gaps) + 1.2), dpi=72)
    ax = fig.add_subplot()
    y = list(range(len(gaps)))[::-1]
    for yi, g in zip(y, gaps, strict=True):
        ax.plot([g.administration, g.politicians], [yi, yi], color=GRID, linewidth=3, zorder=1)
    ax.scatter(
        [g.administration for g in gaps],
        y,
        marker="s",
        s=150,
        zorder=2,
        facecolors="white",
        edgecolors=ROLE_COLOURS["administration"],
        linewidths=2,
        clip_on=False,  # a score of 0 or 100 keeps its whole marker
        label=_("Administration"),
    )
    ax.scatter(
        [g.politicians for g in gaps],
        y,
        marker="o",
        s=30,
        zorder=3,
        color=ROLE_COLOURS["politician"],
        clip_on=False,
        label=_("Elected politicians"),
    )
    ax.set_yticks(y, [("▲ " if g.large else "") + g.name for g in gaps], color=TEXT)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(colors=TEXT)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return _to_svg(fig, title or alt_text_gaps(data), chart_id)


COMPARE_COLOURS = ("#1e5a8a", "#8a4a00", "#2e6b35", "#6b3a87", "#8a1c3c", "#3d4a57")


@_cached
def compare_svg(
    names: list[str], rows: list[tuple[str, list[float | None]]], *, chart_id: str = "compare"
) -> str:
    """Grouped horizontal bars: one group per dimension, one bar per municipality."""
    count = len(names)
    fig = Figure(figsize=(6.6, 0.32 * count * len(rows) + 1.4), dpi=72)
    ax = fig.add_subplot()
    height = 0.8 / max(count, 1)
    centres = list(range(len(rows)))[::-1]
    for i, name in enumerate(names):
        values = [(vals[i] or 0) for _, vals in rows]
        offsets = [c + 0.4 - height * (i + 0.5) for c in centres]
        ax.barh(
            offsets,
            values,
            height=height * 0.9,
            label=name,
            color=COMPARE_COLOURS[i % len(COMPARE_COLOURS)],
        )
    ax.set_yticks(centres, [_wrap(label, 22) for label, _ in rows], color=TEXT)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(colors=TEXT)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(count, 3), frameon=False)
    alt = _("Dimension scores, 0 to 100: %(values)s.") % {
        "values": "; ".join(
            f"{label}: "
            + ", ".join(f"{n} {_score(display_score(v))}" for n, v in zip(names, vals, strict=True))
            for label, vals in rows
        )
    }
    return _to_svg(fig, alt, chart_id)


TREND_MARKERS = ("o", "s", "^", "D", "v", "P")


@_cached
def trend_svg(
    rounds: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    chart_id: str = "trend",
) -> str:
    """Scores per round: the overall score as a thick line, each dimension as a thinner one
    with its own marker (not colour alone). The first series is the overall score."""
    fig = Figure(figsize=(6.6, 3.4), dpi=72)
    ax = fig.add_subplot()
    x = list(range(len(rounds)))
    for index, (name, values) in enumerate(series):
        shown = [display_score(v) for v in values]
        points = [(xi, v) for xi, v in zip(x, shown, strict=True) if v is not None]
        if not points:
            continue
        overall = index == 0
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=TEXT if overall else DIMENSION_COLOURS[(index - 1) % len(DIMENSION_COLOURS)],
            linewidth=3.2 if overall else 1.8,
            marker=TREND_MARKERS[index % len(TREND_MARKERS)],
            markersize=8 if overall else 6,
            zorder=3 if overall else 2,
            label=_wrap(name, 40),
        )
    ax.set_xticks(x, [_wrap(label, 16) for label in rounds], color=TEXT)
    ax.set_xlim(-0.3, max(len(rounds) - 1, 0) + 0.3)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.tick_params(colors=TEXT)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    alt = _("Line chart of scores per round, 0 to 100: %(values)s.") % {
        "values": "; ".join(
            f"{name}: "
            + ", ".join(
                f"{r} {_score(display_score(v))}" for r, v in zip(rounds, values, strict=True)
            )
            for name, values in series
        )
    }
    return _to_svg(fig, alt, chart_id)


def alt_text_gaps(data: ReportData) -> str:
    return _(
        "Chart comparing elected politicians and the administration per theme, 0 to 100: "
        "%(values)s."
    ) % {
        "values": "; ".join(
            _("%(theme)s: politicians %(pol)s, administration %(adm)s")
            % {"theme": g.name, "pol": g.politicians, "adm": g.administration}
            for g in data.gaps
        )
    }


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def alt_text_themes(data: ReportData) -> str:
    return _("Bar chart of theme scores from 0 to 100: %(values)s.") % {
        "values": "; ".join(f"{t.name} {_score(t.score)}" for t in data.themes)
    }


def alt_text_dimensions(data: ReportData) -> str:
    return _("Radar chart of dimension scores from 0 to 100: %(values)s.") % {
        "values": "; ".join(f"{d.name} {_score(d.score)}" for d in data.dimensions)
    }


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
