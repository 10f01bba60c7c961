"""Reads for advisers: the dashboard, side-by-side comparison, peer benchmarks and trends.

Every list is built with a fixed number of queries whatever the number of municipalities:
the latest shared round per municipality is found with a Subquery, and the headline figures
come from ResultSnapshot's own columns (overall, completeness, scores), never from parsing
whole profiles row by row.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, F, FloatField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessment.bank import Bank
from assessment.display import display_change
from assessment.i18n import tr
from assessment.models import Assessment, Municipality, QuestionBank, ResultSnapshot
from assessment.permissions import adviser_municipalities, shared_assessments

StrOrPromise = str | Promise
MIN_PEERS = 5
PAGE_SIZE = 100


@dataclass(frozen=True)
class PopulationBand:
    key: str
    label: StrOrPromise
    low: int
    high: int | None

    def contains(self, population: int) -> bool:
        return population >= self.low and (self.high is None or population <= self.high)


POPULATION_BANDS = (
    PopulationBand("under-1000", _("Under 1,000"), 0, 999),
    PopulationBand("1000-2499", _("1,000–2,499"), 1000, 2499),
    PopulationBand("2500-4999", _("2,500–4,999"), 2500, 4999),
    PopulationBand("5000-plus", _("5,000 or more"), 5000, None),
)


def band_of(population: int) -> PopulationBand:
    return next(b for b in POPULATION_BANDS if b.contains(population))


@dataclass(frozen=True)
class Filters:
    county: str = ""
    band: str = ""
    centrality: int | None = None
    period: str = ""


@dataclass(frozen=True)
class DashboardRow:
    number: str
    name: str
    county: str
    population: int
    assessment_id: int
    period: str
    round_label: str
    closed_at: datetime | None
    rounds: int
    overall: float | None
    previous_overall: float | None
    completeness: float
    dimensions: dict[str, float | None]
    themes: dict[str, float | None]
    fictional: bool = False  # the demo's invented answers

    @property
    def change(self) -> int | None:
        return display_change(self.previous_overall, self.overall)


@dataclass(frozen=True)
class HeatBand:
    """One colour of the heat map's legend: the band's CSS class, its range and name."""

    css: str
    low: int
    high: int | None
    label: str


def heat_legend(parsed=None) -> tuple[HeatBand, ...]:
    """The heat map's legend from the bank's bands (under 35, 35-59 and so on). The cells are
    coloured by the band of the number they show (the `heat` template filter rounds with
    display_score first), so a cell reading 35 has the colour the legend gives 35."""
    parsed = parsed if parsed is not None else _published_bank()
    if parsed is None:
        return ()
    bands = sorted(parsed.bands, key=lambda b: b.min)
    return tuple(
        HeatBand(
            css=f"hm-{index}",
            low=int(band.min),
            high=int(bands[index + 1].min) - 1 if index + 1 < len(bands) else None,
            label=tr(band.label),
        )
        for index, band in enumerate(bands)
    )


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]
    total: int
    page: int
    pages: int
    dimension_keys: tuple[str, ...]
    theme_keys: tuple[str, ...]
    counties: list[tuple[str, str]] = field(default_factory=list)
    band_minimums: tuple[float, ...] = ()
    periods: list[str] = field(default_factory=list)
    heat_legend: tuple[HeatBand, ...] = ()


SORTS = ("name", "-name", "population", "-population", "overall", "-overall", "date", "-date")


def _latest_rounds(user: User, filters: Filters) -> QuerySet[Assessment]:
    rounds = shared_assessments(user)
    if filters.period:
        rounds = rounds.filter(period=filters.period)
    return rounds


def _in_scope(user: User, filters: Filters) -> QuerySet[Municipality]:
    municipalities = adviser_municipalities(user)
    if filters.county:
        municipalities = municipalities.filter(county_number=filters.county)
    band = next((b for b in POPULATION_BANDS if b.key == filters.band), None)
    if band is not None:
        municipalities = municipalities.filter(population__gte=band.low)
        if band.high is not None:
            municipalities = municipalities.filter(population__lte=band.high)
    if filters.centrality:
        municipalities = municipalities.filter(centrality_class=filters.centrality)
    return municipalities


def _published_bank():
    record = QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).first()
    return record.parsed if record is not None else None


def bank_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _keys_of(_published_bank())


def _keys_of(parsed) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if parsed is None:
        return (), ()
    return tuple(d.key for d in parsed.dimensions), tuple(t.key for t in parsed.themes)


def band_minimums(parsed=None) -> tuple[float, ...]:
    """Where the maturity bands of the published bank start (0, 35, 60, 80 in v1): data in the
    bank, never copied into code or templates."""
    parsed = parsed if parsed is not None else _published_bank()
    if parsed is None:
        return ()
    return tuple(sorted(b.min for b in parsed.spec.bands))


def dashboard(
    user: User,
    filters: Filters,
    *,
    sort: str = "name",
    page: int = 1,
    page_size: int | None = PAGE_SIZE,
) -> Dashboard:
    """Municipalities in the adviser's scope with their latest shared, closed round."""
    parsed = _published_bank()
    dimension_keys, theme_keys = _keys_of(parsed)
    rounds = _latest_rounds(user, filters)
    newest_first = rounds.filter(municipality=OuterRef("pk")).order_by("-closed_at", "-pk")
    municipalities = (
        _in_scope(user, filters)
        .annotate(
            latest_id=Subquery(newest_first.values("pk")[:1]),
            previous_overall=Subquery(newest_first.values("snapshot__overall")[1:2]),
            latest_overall=Subquery(newest_first.values("snapshot__overall")[:1]),
            latest_closed=Subquery(newest_first.values("closed_at")[:1]),
            rounds=Subquery(
                rounds.filter(municipality=OuterRef("pk"))
                .order_by()
                .values("municipality")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
        .filter(latest_id__isnull=False)
    )
    order = _order(sort, dimension_keys, newest_first)
    if isinstance(order, tuple):
        municipalities = municipalities.annotate(sort_value=order[1]).order_by(
            F("sort_value").desc(nulls_last=True)
            if order[0]
            else F("sort_value").asc(nulls_last=True),
            "name",
        )
    else:
        municipalities = municipalities.order_by(order, "name")
    total = municipalities.count()
    size = page_size or max(total, 1)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    chosen = list(
        municipalities.values(
            "number", "name", "county_name", "population", "latest_id", "previous_overall", "rounds"
        )[(page - 1) * size : page * size]
    )
    snapshots = {
        s.assessment_id: s
        for s in ResultSnapshot.objects.filter(
            assessment_id__in=[m["latest_id"] for m in chosen]
        ).select_related("assessment")
    }
    rows = []
    for m in chosen:
        snapshot = snapshots[m["latest_id"]]
        rows.append(
            DashboardRow(
                number=m["number"],
                name=m["name"],
                county=m["county_name"],
                population=m["population"],
                assessment_id=m["latest_id"],
                period=snapshot.assessment.period,
                round_label=snapshot.assessment.title,
                closed_at=snapshot.assessment.closed_at,
                rounds=m["rounds"] or 0,
                overall=snapshot.overall,
                previous_overall=m["previous_overall"],
                completeness=snapshot.completeness,
                fictional=snapshot.assessment.fictional,
                dimensions=dict(snapshot.scores.get("dimensions", {})),
                # A round on an earlier bank, in the current bank's themes (its mapping).
                themes=dict(
                    _scores_in_terms_of(parsed, snapshot.bank_version, snapshot.scores).get(
                        "themes", {}
                    )
                    if parsed is not None
                    else snapshot.scores.get("themes", {})
                ),
            )
        )
    return Dashboard(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        dimension_keys=dimension_keys,
        theme_keys=theme_keys,
        band_minimums=band_minimums(parsed) if parsed is not None else (),
        heat_legend=heat_legend(parsed) if parsed is not None else (),
        counties=sorted(
            set(adviser_municipalities(user).values_list("county_number", "county_name"))
        ),
        periods=sorted(set(rounds.values_list("period", flat=True)), reverse=True),
    )


def _order(sort: str, dimension_keys: Sequence[str], newest_first: QuerySet[Assessment]):
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "population":
        return sort
    if key == "name":
        return sort
    if key == "overall":
        return (descending, F("latest_overall"))
    if key == "date":
        return (descending, F("latest_closed"))
    if key in dimension_keys:
        # KT() cannot follow a relation; start from the related JSON field explicitly.
        score = KeyTextTransform(key, KeyTransform("dimensions", "snapshot__scores"))
        value = newest_first.annotate(v=Cast(score, FloatField())).values("v")[:1]
        return (descending, Subquery(value))
    return "name"


# --- compare and benchmark ---------------------------------------------------------------


def latest_shared_rounds(user: User, numbers: Iterable[str]) -> list[Assessment]:
    """The latest shared round of each chosen municipality in scope, in the order given."""
    numbers = list(dict.fromkeys(numbers))
    newest_first = (
        shared_assessments(user).filter(municipality=OuterRef("pk")).order_by("-closed_at", "-pk")
    )
    ids = dict(
        adviser_municipalities(user)
        .filter(number__in=numbers)
        .annotate(latest_id=Subquery(newest_first.values("pk")[:1]))
        .filter(latest_id__isnull=False)
        .values_list("number", "latest_id")
    )
    found = {
        a.municipality_id: a
        for a in Assessment.objects.filter(pk__in=ids.values()).select_related(
            "municipality", "snapshot", "bank"
        )
    }
    return [found[n] for n in numbers if n in found]


@dataclass(frozen=True)
class Quartiles:
    n: int
    q1: float
    median: float
    q3: float


def quartiles(values: Sequence[float]) -> Quartiles | None:
    """Median and quartiles; None below MIN_PEERS values, so no municipality stands out."""
    if len(values) < MIN_PEERS:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(n=len(values), q1=q1, median=median, q3=q3)


@dataclass(frozen=True)
class Benchmark:
    group: str  # "band" or "county"
    label: StrOrPromise
    n: int
    overall: Quartiles | None
    dimensions: dict[str, Quartiles | None]
    themes: dict[str, Quartiles | None]
    crosses_versions: bool = False  # some peers answered another bank version


def _scores_in_terms_of(bank: Bank, version: str, scores: dict) -> dict:
    if version == bank.version:
        return scores
    as_round = TrendRound(0, "", "", None, version, None, {}, dict(scores.get("themes", {})))
    return {**scores, "themes": in_terms_of(bank, as_round).themes}


def round_scores(rounds: Sequence[Assessment]) -> list[dict[str, float | None]]:
    """Each closed round's dimension and theme scores in the newest published bank's terms (a
    round on an earlier bank through the mapping that bank declares); one bank lookup."""
    parsed = _published_bank()
    columns = []
    for a in rounds:
        scores = a.snapshot.scores
        if parsed is not None:
            scores = _scores_in_terms_of(parsed, a.snapshot.bank_version, scores)
        columns.append({**scores.get("dimensions", {}), **scores.get("themes", {})})
    return columns


def peer_benchmark(assessment: Assessment, *, group: str = "band") -> Benchmark | None:
    """The municipality's peers: the latest shared, closed round of every other municipality
    in the same population band (or county). Only aggregates, and only from five peers up."""
    municipality = assessment.municipality
    if group == "county":
        peers = Municipality.objects.filter(county_number=municipality.county_number)
        label: StrOrPromise = municipality.county_name
    else:
        band = band_of(municipality.population)
        peers = Municipality.objects.filter(population__gte=band.low)
        if band.high is not None:
            peers = peers.filter(population__lte=band.high)
        label = band.label
    newest_first = Assessment.objects.filter(
        municipality=OuterRef("pk"),
        status=Assessment.Status.CLOSED,
        shared_with_advisers=True,
    ).order_by("-closed_at", "-pk")
    latest_ids = (
        peers.exclude(pk=municipality.pk)
        .annotate(latest_id=Subquery(newest_first.values("pk")[:1]))
        .filter(latest_id__isnull=False)
        .values("latest_id")
    )
    own_bank = assessment.bank.parsed
    rows = list(
        ResultSnapshot.objects.filter(assessment_id__in=latest_ids).values_list(
            "overall", "scores", "bank_version"
        )
    )
    if len(rows) < MIN_PEERS:
        return None
    # Peers on another bank version are compared through the own bank's declared mapping.
    snapshots = [
        (overall, _scores_in_terms_of(own_bank, version, scores))
        for overall, scores, version in rows
    ]

    def collect(kind: str) -> dict[str, Quartiles | None]:
        keys = {k for _, scores in snapshots for k in scores.get(kind, {})}
        return {
            key: quartiles([v for _, s in snapshots if (v := s.get(kind, {}).get(key)) is not None])
            for key in keys
        }

    return Benchmark(
        group=group,
        label=label,
        crosses_versions=any(version != own_bank.version for _, _, version in rows),
        n=len(snapshots),
        overall=quartiles([o for o, _ in snapshots if o is not None]),
        dimensions=collect("dimensions"),
        themes=collect("themes"),
    )


# --- trends ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRound:
    assessment_id: int
    period: str
    label: str
    closed_at: datetime | None
    bank_version: str
    overall: float | None
    dimensions: dict[str, float | None]
    themes: dict[str, float | None]


def trend_round(a: Assessment) -> TrendRound:
    """A closed round's headline figures, from its snapshot (select_related it)."""
    return TrendRound(
        assessment_id=a.pk,
        period=a.period,
        label=a.title,
        closed_at=a.closed_at,
        bank_version=a.snapshot.bank_version,
        overall=a.snapshot.overall,
        dimensions=dict(a.snapshot.scores.get("dimensions", {})),
        themes=dict(a.snapshot.scores.get("themes", {})),
    )


def trend_rounds(rounds: QuerySet[Assessment]) -> list[TrendRound]:
    """Closed rounds oldest first, with their headline figures (one query)."""
    return [
        trend_round(a)
        for a in rounds.filter(status=Assessment.Status.CLOSED, snapshot__isnull=False)
        .select_related("snapshot")
        .order_by("closed_at", "pk")
    ]


def bank_of_version(version: str) -> Bank | None:
    record = QuestionBank.objects.filter(version=version).first()
    return record.parsed if record is not None else None


def in_terms_of(bank: Bank | None, trend_round: TrendRound) -> TrendRound:
    """A round's theme scores expressed in `bank`'s themes. Within a version a theme is
    itself; across versions each theme takes the mean of the earlier themes the bank declares
    it compares with (`compares_with` in the bank file), and is left out where it declares
    none. Dimension keys are kept across versions."""
    if bank is None or trend_round.bank_version == bank.version:
        return trend_round
    themes: dict[str, float | None] = {}
    for key, olds in bank.comparable_themes(trend_round.bank_version).items():
        values = [v for old in olds if (v := trend_round.themes.get(old)) is not None]
        if olds and values:
            themes[key] = statistics.fmean(values)
    return replace(trend_round, themes=themes)


def cross_version_pairs(bank: Bank | None, rounds: Sequence[TrendRound]) -> list[tuple[str, str]]:
    """(theme of `bank`, earlier theme keys) where a comparison crosses versions with other
    keys than its own, for the page to say so."""
    if bank is None:
        return []
    pairs = []
    for version in sorted({r.bank_version for r in rounds} - {bank.version}):
        for key, olds in bank.comparable_themes(version).items():
            if olds and olds != (key,):
                pairs.append((key, ", ".join(olds)))
    return pairs


def comparable_theme_keys(rounds: Sequence[TrendRound], order: Sequence[str]) -> list[str]:
    """Theme keys present in every round: only these are compared across bank versions.
    Listed in `order` (the bank's), since JSON objects keep no order in PostgreSQL."""
    if not rounds:
        return []
    common = set(rounds[0].themes)
    for r in rounds[1:]:
        common &= set(r.themes)
    rank = {key: index for index, key in enumerate(order)}
    return sorted(common, key=lambda k: (rank.get(k, len(rank)), k))
