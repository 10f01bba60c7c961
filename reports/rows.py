"""The rows a report is made of: plain, frozen data that the web page and the PDF render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThemeRow:
    key: str
    name: str
    dimension_key: str
    dimension_name: str
    score: int | None
    completeness: int
    dont_know: int
    split: bool = False  # respondents disagree a lot (spread above the bank's threshold)
    large_gap: bool = False  # politicians and administration differ by more than the threshold


@dataclass(frozen=True)
class DimensionRow:
    key: str
    name: str
    description: str
    score: int | None
    band_label: str
    themes: tuple[ThemeRow, ...]
    strengths: tuple[ThemeRow, ...] = ()
    development_areas: tuple[ThemeRow, ...] = ()


@dataclass(frozen=True)
class BandRow:
    key: str
    label: str
    min: int
    max: int
    description: str


@dataclass(frozen=True)
class SourceRow:
    key: str
    citation: str
    url: str


@dataclass(frozen=True)
class ExampleRow:
    title: str
    municipality: str
    summary: str


@dataclass(frozen=True)
class RecommendationRow:
    key: str
    rank: int
    title: str
    advice_item: int | None
    finding: str
    why: str
    reasons: tuple[str, ...]
    first_steps: tuple[str, ...]
    who: tuple[str, ...]
    effort: str
    approach: str
    sources: tuple[SourceRow, ...]
    examples: tuple[ExampleRow, ...]


@dataclass(frozen=True)
class ActionRow:
    what: str
    who: str
    due: str
    recommendation_key: str = ""


@dataclass(frozen=True)
class AnswerRow:
    question: str
    summary: str


@dataclass(frozen=True)
class AnswerThemeRow:
    name: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class GapRow:
    """Politicians against the administration on one theme (both groups of two or more)."""

    key: str
    name: str
    politicians: int
    administration: int
    gap: int  # politicians minus administration
    large: bool
    split: bool


@dataclass(frozen=True)
class RegisterRow:
    """One fact of the plan register as the report states it."""

    fact: str
    label: str
    status: str  # the status in plain words ("Not yet due: due by 19.10.2024")
    score: int | None  # None: not scored (not due, context only, not recorded)


@dataclass(frozen=True)
class BenchmarkRow:
    name: str
    own: int | None
    q1: int
    median: int
    q3: int
    is_dimension: bool


@dataclass(frozen=True)
class ReferenceRow:
    """One source in the report's reference list, numbered in order of first citation."""

    number: int
    key: str
    citation: str
    url: str


@dataclass(frozen=True)
class ChangeRow:
    """A dimension or theme now and in the municipality's previous closed round."""

    key: str
    name: str
    is_dimension: bool
    before: int | None
    now: int | None
    change: int | None  # from the two shown values (assessment/display.py display_change)
    compared_with: str = ""  # the earlier themes it is compared with, when versions differ


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
    respondents_by_role: Mapping[str, int] = field(default_factory=dict)
    # Role groups too small to be shown: their answers are in no figure (assessment/privacy.py).
    held_back: Mapping[str, int] = field(default_factory=dict)
    gaps: tuple[GapRow, ...] = ()
    gap_threshold: int = 20
    split_threshold: int = 25
    split_themes: tuple[str, ...] = ()
    # One sentence each defining the markers and lists, from the bank's method, so the web
    # page, the workshop and the PDF define them the same way.
    gap_note: str = ""
    split_note: str = ""
    strengths_note: str = ""
    development_note: str = ""
    register: tuple[RegisterRow, ...] = ()
    scoring_method: int = 1
    # Filled by build_report(); empty when only scores are needed.
    language: str = "nb"
    municipality: str = ""
    fictional: bool = False  # invented answers for a real municipality (the demo)
    county: str = ""
    period: str = ""
    round_label: str = ""
    status_label: str = ""
    report_date: str = ""
    key_messages: tuple[str, ...] = ()
    recommendations: tuple[RecommendationRow, ...] = ()
    strength_texts: tuple[str, ...] = ()
    action_plan: tuple[ActionRow, ...] = ()
    action_plan_edited: bool = False
    resolution: tuple[str, ...] = ()
    answers: tuple[AnswerThemeRow, ...] = ()
    answers_hidden: bool = False
    library_version: str = ""
    method: tuple[str, ...] = field(default=())
    discussion: tuple[str, ...] = ()
    benchmark: tuple[BenchmarkRow, ...] = ()
    benchmark_n: int = 0
    benchmark_label: str = ""
    # Added with issue 14; the fields above keep what older reports said.
    draft: bool = False  # an open round: a preliminary document, never "the" report
    # The answers appendix in words ("3 of 4 answered “agree”"); `answers` keeps the counts
    # as older reports stated them.
    answer_texts: tuple[AnswerThemeRow, ...] = ()
    # Every cited source once, and for each recommendation the numbers it cites.
    references: tuple[ReferenceRow, ...] = ()
    reference_numbers: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # Per recommendation: the kind of solution in plain words (no "hyllevare"/"skreddersøm").
    approach_notes: Mapping[str, str] = field(default_factory=dict)
    # The municipality's previous closed round, in this round's bank's terms.
    change: tuple[ChangeRow, ...] = ()
    change_since: str = ""  # the previous round, named ("2019-2023, end of term")
    change_overall: int | None = None
    change_crosses_versions: bool = False
    change_earlier_version: str = ""

    @property
    def has_scores(self) -> bool:
        return self.overall is not None

    @property
    def differ(self) -> tuple[GapRow, ...]:
        """Themes where the groups differ by more than the threshold, largest first."""
        return tuple(sorted((g for g in self.gaps if g.large), key=lambda g: -abs(g.gap)))

    @property
    def agree(self) -> tuple[GapRow, ...]:
        """Themes where the groups are within half the threshold of each other."""
        return tuple(g for g in self.gaps if abs(g.gap) <= self.gap_threshold / 2)

    @property
    def benchmark_dimensions(self) -> tuple[BenchmarkRow, ...]:
        return tuple(b for b in self.benchmark if b.is_dimension)

    @property
    def themes(self) -> tuple[ThemeRow, ...]:
        return tuple(t for d in self.dimensions for t in d.themes)
