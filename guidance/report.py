"""ReportData: what a result page or report says, independent of how it is laid out.

The web results page and (later) the PDF both render this; layout never decides content.
Texts are resolved in the language active when `build_report_data` runs, so call it inside
`translation.override(...)` for a report in a given language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessment.bank import Bank
from assessment.i18n import tr
from assessment.scoring import Profile

STRENGTH_COUNT = 3


@dataclass(frozen=True)
class ThemeRow:
    key: str
    name: str
    dimension_key: str
    dimension_name: str
    score: int | None
    completeness: int
    dont_know: int


@dataclass(frozen=True)
class DimensionRow:
    key: str
    name: str
    description: str
    score: int | None
    band_label: str
    themes: tuple[ThemeRow, ...]


@dataclass(frozen=True)
class BandRow:
    key: str
    label: str
    min: int
    description: str


@dataclass(frozen=True)
class ReportData:
    bank_version: str
    overall: int | None
    band_label: str
    band_description: str
    bands: tuple[BandRow, ...]
    dimensions: tuple[DimensionRow, ...]
    strengths: tuple[ThemeRow, ...]
    development_areas: tuple[ThemeRow, ...]
    completeness: int
    low_confidence: bool
    low_confidence_below: int
    dont_know: int
    respondents: int

    @property
    def has_scores(self) -> bool:
        return self.overall is not None

    @property
    def themes(self) -> tuple[ThemeRow, ...]:
        return tuple(t for d in self.dimensions for t in d.themes)


def _round(value: float | None) -> int | None:
    # Half up, as people expect from a score ("62.5" reads as 63), not Python's banker's rounding.
    return None if value is None else int(value + 0.5)


def build_report_data(bank: Bank, profile: Profile) -> ReportData:
    dimensions = []
    for dim in bank.dimensions:
        dim_score = profile.dimension(dim.key)
        band = bank.band(dim_score.band)
        rows = []
        for theme in dim.themes:
            ts = profile.theme(theme.key)
            rows.append(
                ThemeRow(
                    key=theme.key,
                    name=tr(theme.name),
                    dimension_key=dim.key,
                    dimension_name=tr(dim.name),
                    score=_round(ts.score),
                    completeness=_round(100 * ts.completeness) or 0,
                    dont_know=ts.dont_know,
                )
            )
        dimensions.append(
            DimensionRow(
                key=dim.key,
                name=tr(dim.name),
                description=tr(dim.description),
                score=_round(dim_score.score),
                band_label=tr(band.label) if band else "",
                themes=tuple(rows),
            )
        )
    scored = [t for d in dimensions for t in d.themes if t.score is not None]
    # Stable sorts keep the bank's order among equal scores, so the same profile always
    # names the same strengths.
    by_score = sorted(scored, key=lambda t: -t.score)  # type: ignore[operator]
    count = min(STRENGTH_COUNT, len(by_score) // 2)
    strengths = tuple(by_score[:count])
    development = tuple(sorted(scored, key=lambda t: t.score)[:count])  # type: ignore[arg-type]
    overall_band = bank.band(profile.band)
    return ReportData(
        bank_version=bank.version,
        overall=_round(profile.overall),
        band_label=tr(overall_band.label) if overall_band else _("No score yet"),
        band_description=tr(overall_band.description) if overall_band else "",
        bands=tuple(
            BandRow(key=b.key, label=tr(b.label), min=int(b.min), description=tr(b.description))
            for b in bank.bands
        ),
        dimensions=tuple(dimensions),
        strengths=strengths,
        development_areas=development,
        completeness=_round(100 * profile.completeness) or 0,
        low_confidence=profile.low_confidence,
        low_confidence_below=_round(100 * bank.low_confidence_below) or 0,
        dont_know=profile.dont_know,
        respondents=profile.respondents,
    )
