"""ReportData: what a result page or report says, independent of how it is laid out.

The web results page and the PDF both render this; layout never decides content. Texts are
resolved in the language active when it is built, so `build_report` switches to the report's
language itself (the municipality's official form unless another is asked for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from assessment.bank import Bank, I18n, Question
from assessment.display import display_change, display_score
from assessment.i18n import tr
from assessment.models import Assessment, Municipality
from assessment.register import FACTS, fact_from_dict
from assessment.register_texts import FACT_LABELS, status_text
from assessment.scoring import Kind, Profile
from content.models import Source
from guidance.library import Library
from guidance.matching import MatchResult, Subject
from reports import selectors as report_selectors
from reports.comparison import Benchmark, TrendRound, cross_version_pairs, in_terms_of
from reports.rows import (
    ActionRow,
    AnswerRow,
    AnswerThemeRow,
    BandRow,
    BenchmarkRow,
    ChangeRow,
    DimensionRow,
    ExampleRow,
    GapRow,
    RecommendationRow,
    ReferenceRow,
    RegisterRow,
    ReportData,
    SourceRow,
    ThemeRow,
)
from reports.selectors import ReportInputs
from reports.texts import (
    _discussion,
    _key_messages,
    _method,
    _resolution,
    approach_label,
    effort_label,
    who_label,
)

_round = display_score  # every figure in a report is shown through the one rounding


def _strengths_and_development(
    bank: Bank, rows: list[ThemeRow], count: int
) -> tuple[tuple[ThemeRow, ...], tuple[ThemeRow, ...]]:
    """The themes a report names as strengths and as development areas.

    Method 2: a strength scores at least the "established" level and has neither a large role
    gap nor a split (a theme people see very differently is not a settled strength); a
    development area scores below that level. The two lists can never share a theme, whatever
    the ties. Bank v1 keeps its own rule so its reports read as they did."""
    if bank.method < 2:
        return _top_and_bottom(rows, count)
    established = bank.band("established")
    floor = established.min if established else 60.0
    scored = [t for t in rows if t.score is not None]
    strong = [t for t in scored if t.score >= floor and not (t.large_gap or t.split)]  # type: ignore[operator]
    weak = [t for t in scored if t.score < floor]  # type: ignore[operator]
    best = sorted(strong, key=lambda t: -t.score)[:count]  # type: ignore[operator]
    worst = sorted(weak, key=lambda t: t.score)[:count]  # type: ignore[arg-type, return-value]
    return tuple(best), tuple(worst)


def _top_and_bottom(rows: list[ThemeRow], count: int) -> tuple[tuple, tuple]:
    scored = [t for t in rows if t.score is not None]
    # Stable sorts keep the bank's order among equal scores, so the same profile always
    # names the same themes; never more than half each way, so no theme is on both lists.
    count = min(count, len(scored) // 2)
    best = sorted(scored, key=lambda t: -t.score)[:count]  # type: ignore[operator]
    worst = sorted(scored, key=lambda t: t.score)[:count]  # type: ignore[arg-type, return-value]
    return tuple(best), tuple(worst)


def build_report_data(bank: Bank, profile: Profile) -> ReportData:
    """A report of the scores only: levels, dimensions, themes, strengths, completeness."""
    return ReportData(**_score_fields(bank, profile))


def _score_fields(bank: Bank, profile: Profile) -> dict[str, Any]:
    """The score part of a report, as ReportData's fields."""
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
                    split=ts.split,
                    large_gap=ts.large_gap,
                )
            )
        best, worst = _strengths_and_development(bank, rows, 2)
        dimensions.append(
            DimensionRow(
                key=dim.key,
                name=tr(dim.name),
                description=tr(dim.description),
                score=_round(dim_score.score),
                band_label=tr(band.label) if band else "",
                themes=tuple(rows),
                strengths=best,
                development_areas=worst,
            )
        )
    strengths, development = _strengths_and_development(
        bank, [t for d in dimensions for t in d.themes], bank.strength_count
    )
    gaps = []
    for theme in bank.themes:
        ts = profile.theme(theme.key)
        # Method 2 compares the groups on the questions both were asked (gap_means).
        means = dict(ts.gap_means) or {g.role: g.mean for g in ts.groups if g.mean is not None}
        if ts.gap is not None and "politician" in means and "administration" in means:
            politicians, administration = (
                _round(means["politician"]),
                _round(means["administration"]),
            )
            gaps.append(
                GapRow(
                    key=theme.key,
                    name=tr(theme.name),
                    politicians=politicians or 0,
                    administration=administration or 0,
                    # One rounding: the gap shown is the difference of the means shown.
                    gap=(display_change(means["administration"], means["politician"]) or 0)
                    if bank.method >= 2
                    else _round(ts.gap) or 0,
                    large=ts.large_gap,
                    split=ts.split,
                )
            )
    overall_band = bank.band(profile.band)
    return dict(
        bank_version=bank.version,
        overall=_round(profile.overall),
        band_label=tr(overall_band.label) if overall_band else _("No score yet"),
        band_description=tr(overall_band.description) if overall_band else "",
        bands=tuple(
            BandRow(
                key=b.key,
                label=tr(b.label),
                min=int(b.min),
                max=int(bank.bands[i + 1].min) - 1 if i + 1 < len(bank.bands) else 100,
                description=tr(b.description),
            )
            for i, b in enumerate(bank.bands)
        ),
        dimensions=tuple(dimensions),
        strengths=strengths,
        development_areas=development,
        completeness=_round(100 * profile.completeness) or 0,
        low_confidence=profile.low_confidence,
        low_confidence_below=_round(100 * bank.spec.low_confidence_below) or 0,
        dont_know=profile.dont_know,
        respondents=profile.respondents,
        respondents_by_role=dict(profile.respondents_by_role),
        held_back=dict(profile.held_back),
        gaps=tuple(gaps),
        gap_threshold=display_score(bank.spec.role_gap_threshold) or 0,
        split_threshold=display_score(bank.spec.split_threshold) or 0,
        split_themes=tuple(tr(bank.theme(t.key).name) for t in profile.themes if t.split),
        register=_register_rows(profile),
        scoring_method=bank.method,
        **_notes(bank),
    )


def _register_rows(profile: Profile) -> tuple[RegisterRow, ...]:
    """The plan register as frozen in the profile, in the register's order."""
    rows = []
    for fact in FACTS:
        data = profile.register.get(fact)
        if data is None:
            continue
        result = fact_from_dict(data)
        rows.append(
            RegisterRow(
                fact=fact,
                label=str(FACT_LABELS.get(fact, fact)),
                status=status_text(result),
                score=_round(result.score),
            )
        )
    return tuple(rows)


def _notes(bank: Bank) -> dict[str, str]:
    """What each marker and list means, stated once from the bank's method and thresholds."""
    gap_t = display_score(bank.spec.role_gap_threshold)
    split_t = display_score(bank.spec.split_threshold)
    if bank.method < 2:
        return {
            "gap_note": _(
                "Elected politicians' and the administration's mean scores per theme. A "
                "difference of more than %(t)s points (marked ▲) is a finding of its own: the "
                "two sides see the municipality differently."
            )
            % {"t": gap_t},
            "split_note": _(
                "Themes marked “split”: the respondents' scores spread more than %(t)s points, "
                "so people see the theme very differently. That is worth talking about before "
                "acting on the average."
            )
            % {"t": split_t},
            "strengths_note": _("The themes with the highest scores: something to build on."),
            "development_note": _(
                "The themes with the lowest scores: where effort will matter most."
            ),
        }
    established = bank.band("established")
    level = {"level": tr(established.label) if established else "", "min": _round_min(bank)}
    return {
        "gap_note": _(
            "Elected politicians' and the administration's mean scores per theme, on the "
            "questions both groups were asked. A difference of more than %(t)s points (marked "
            "▲) is a finding of its own: the two sides see the municipality differently."
        )
        % {"t": gap_t},
        "split_note": _(
            "Themes marked “split”: the respondents' scores spread %(t)s points or more "
            "(standard deviation), so people see the theme very differently. That is worth "
            "talking about before acting on the average."
        )
        % {"t": split_t},
        "strengths_note": _(
            "Themes at “%(level)s” (%(min)s) or above that neither group disputes (no large "
            "difference, not split): something to build on."
        )
        % level,
        "development_note": _(
            "The lowest-scoring themes below “%(level)s” (%(min)s): where effort will matter most."
        )
        % level,
    }


def _round_min(bank: Bank) -> int:
    established = bank.band("established")
    return int(established.min) if established else 60


# --- the full report ------------------------------------------------------------------------


def _subject_text(subject: Subject | None, bank: Bank, profile: Profile) -> dict[str, str]:
    """Values for the placeholders of library texts: {label} and {score} always; a gap's
    {gap}, {politicians}, {administration}; an answer's {count}, {total}, {answer}; a register
    fact's {status} and {due}."""
    if subject is None:
        return {"label": "", "score": ""}
    if subject.kind == "gap":
        theme = bank.theme(subject.key)
        ts = profile.theme(subject.key)
        means = dict(ts.gap_means) or {g.role: g.mean for g in ts.groups if g.mean is not None}
        pol, adm = means.get("politician"), means.get("administration")
        gap = display_change(adm, pol) if bank.method >= 2 else _round(subject.value)
        shown = "" if gap is None else str(abs(gap))
        return {
            "label": tr(theme.name),
            "score": shown,
            "gap": shown,
            "politicians": str(_round(pol) if pol is not None else ""),
            "administration": str(_round(adm) if adm is not None else ""),
        }
    if subject.kind == "theme":
        theme = bank.theme(subject.key)
        score = _round(profile.theme(subject.key).score)
        return {"label": tr(theme.name), "score": "" if score is None else str(score)}
    if subject.kind == "register":
        result = profile.register.get(subject.key)
        fact = fact_from_dict(result) if result else None
        return {
            "label": str(FACT_LABELS.get(subject.key, subject.key)),
            "score": "",
            "status": status_text(fact) if fact else "",
            "due": date_format(fact.due, "SHORT_DATE_FORMAT") if fact and fact.due else "",
        }
    if subject.kind == "dimension":
        value = profile.dimension(subject.key).score
        return {"label": tr(bank.dimension(subject.key).name), "score": str(_round(value) or 0)}
    if subject.kind == "answer":
        question = bank.questions[subject.key]
        theme = bank.theme(question.theme_key)
        value = profile.theme(theme.key).score
        return {
            "label": tr(theme.name),
            "score": "" if value is None else str(_round(value)),
            "count": str(subject.count),
            "total": str(subject.total),
            "answer": _answer_names(question, subject),
        }
    return {"label": _("Completeness"), "score": str(_round(100 * (subject.value or 0)))}


def _answer_names(question: Question, subject: Subject) -> str:
    """The answers a rule counted, named as the respondent saw them: «nei» or «delvis»."""
    labels = {"yes": _("yes"), "partly": _("partly"), "no": _("no")} | {
        c.value: tr(c.label) for c in question.choices
    }
    order = list(question.spec.value_scores())
    names = [
        _("“%(answer)s”") % {"answer": labels.get(v, v)}
        for v in sorted(subject.values, key=lambda v: order.index(v) if v in order else len(order))
    ]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _fill(text: str, values: Mapping[str, str]) -> str:
    # Library texts are data written by people; a stray brace must not break a report.
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def _recommendation_rows(
    bank: Bank,
    profile: Profile,
    library: Library,
    matches: MatchResult,
    sources: Mapping[str, Source],
    own_name: str = "",
) -> tuple[RecommendationRow, ...]:
    rows = []
    for rank, match in enumerate(matches.recommendations, start=1):
        rec = library.by_key.get(match.key)
        if rec is None:
            continue
        values = _subject_text(match.subject, bank, profile)
        rows.append(
            RecommendationRow(
                key=rec.key,
                rank=rank,
                title=tr(rec.title),
                advice_item=rec.advice_item,
                finding=tr(rec.finding),
                why=_fill(tr(rec.why), values),
                reasons=tuple(_fill(tr(rec.rules[i].reason), values) for i in match.rules[:1]),
                first_steps=tuple(tr(step) for step in rec.first_steps),
                who=tuple(who_label(w) for w in rec.who),
                effort=effort_label(rec.effort),
                approach=approach_label(rec.approach),
                sources=tuple(
                    SourceRow(key=k, citation=sources[k].localized_citation, url=sources[k].url)
                    for k in rec.sources
                    if k in sources
                ),
                examples=tuple(
                    ExampleRow(
                        title=tr(library.examples[k].title),
                        municipality=library.examples[k].municipality,
                        summary=tr(library.examples[k].summary),
                    )
                    for k in rec.examples
                    # A municipality's own practice is not an example "from others".
                    if k in library.examples and library.examples[k].municipality != own_name
                ),
            )
        )
    return tuple(rows)


def default_action_plan(recommendations: tuple[RecommendationRow, ...]) -> tuple[ActionRow, ...]:
    """One line per recommendation: its first step, its first actor, within a year."""
    return tuple(
        ActionRow(
            what=rec.first_steps[0],
            who=rec.who[0] if rec.who else "",
            due="",
            recommendation_key=rec.key,
        )
        for rec in recommendations
    )


def _answers(bank: Bank, profile: Profile) -> tuple[AnswerThemeRow, ...]:
    """Counts per answer for each question. A question that fewer than the bank's minimum
    group size answered (e.g. one asked only of a lone politician) shows no figures."""
    min_n = bank.spec.min_group_size
    too_few = _("shown when at least %(n)s have answered") % {"n": min_n}
    labels = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No"), "dont_know": _("Don't know")}
    themes = []
    for theme in bank.themes:
        rows = []
        for q in theme.questions:
            if q.kind is Kind.NUMBER:
                median = profile.number_medians.get(q.key)
                summary = (
                    "–"
                    if median is None
                    else _("median %(value)s") % {"value": f"{median:g}".replace(".", ",")}
                )
            elif q.kind is Kind.TEXT:
                continue
            else:
                counts = profile.answer_counts.get(q.key, {})
                if 0 < sum(counts.values()) < min_n:
                    rows.append(AnswerRow(question=tr(q.text), summary=too_few))
                    continue
                order = [str(i) for i in range(1, 6)] if q.kind is Kind.SCALE else None
                if q.kind in (Kind.YESNO, Kind.AWARENESS):
                    order = ["yes", "partly", "no"]
                if q.kind is Kind.CHOICE:
                    order = [c.value for c in q.choices]
                    labels |= {c.value: tr(c.label) for c in q.choices}
                parts = [
                    f"{labels.get(v, v)}: {counts[v]}"
                    for v in [*cast("list[str]", order), "dont_know"]  # set for every kind left
                    if counts.get(v)
                ]
                summary = "; ".join(parts) or "–"
            rows.append(AnswerRow(question=tr(q.text), summary=summary))
        themes.append(AnswerThemeRow(name=tr(theme.name), rows=tuple(rows)))
    return tuple(themes)


@dataclass(frozen=True)
class ReportContext:
    """Who and when a report is about; everything that is not a score."""

    municipality: Municipality
    period: str
    round_label: str
    status_label: str
    when: datetime
    fictional: bool = False
    draft: bool = False  # the round is open: what the report says is preliminary


def compose_report(
    *, bank: Bank, inputs: ReportInputs, context: ReportContext, language: str
) -> ReportData:
    """Pure: everything a report says, from inputs already read (reports/selectors.py)."""
    profile, library, matches, benchmark = (
        inputs.profile,
        inputs.library,
        inputs.matches,
        inputs.benchmark,
    )
    with translation.override(language):
        scores = _score_fields(bank, profile)
        data = ReportData(**scores)  # what the council texts are written from
        recommendations = (
            _recommendation_rows(
                bank, profile, library, matches, inputs.sources, context.municipality.name
            )
            if library
            else ()
        )
        strength_texts = tuple(
            _fill(
                tr(library.strengths[key]),
                {
                    "label": tr(bank.dimension(key).name),
                    "score": str(_round(profile.dimension(key).score)),
                },
            )
            for key in matches.strengths
            if library and key in library.strengths
        )
        name = context.municipality.name
        hide_answers = profile.respondents < bank.spec.min_group_size
        return ReportData(
            **scores,
            language=language,
            municipality=name,
            fictional=context.fictional,
            county=context.municipality.county_name,
            period=context.period,
            round_label=context.round_label,
            status_label=context.status_label,
            report_date=date_format(timezone.localtime(context.when), "DATE_FORMAT"),
            key_messages=_key_messages(data, recommendations),
            recommendations=recommendations,
            strength_texts=strength_texts,
            action_plan=inputs.action_items or default_action_plan(recommendations),
            action_plan_edited=bool(inputs.action_items),
            resolution=_resolution(name, context.period, recommendations),
            answers=() if hide_answers else _answers(bank, profile),
            answers_hidden=hide_answers,
            library_version=library.version if library else "",
            method=_method(
                data.low_confidence_below,
                bank.spec.min_group_size,
                bank.method,
                tuple(int(b.min) for b in bank.bands if b.min > 0),
            ),
            discussion=_discussion(data),
            benchmark=_benchmark_rows(bank, profile, benchmark) if benchmark else (),
            benchmark_n=benchmark.n if benchmark else 0,
            benchmark_label=str(benchmark.label) if benchmark else "",
            draft=context.draft,
            answer_texts=() if hide_answers else _answer_texts(bank, profile),
            references=(references := _references(recommendations)),
            reference_numbers=_reference_numbers(recommendations, references),
            approach_notes={r.key: _approach_note(library, r.key) for r in recommendations}
            if library
            else {},
            **_change_fields(bank, profile, inputs.previous, inputs.previous_theme_names),
        )


def _answer_texts(bank: Bank, profile: Profile) -> tuple[AnswerThemeRow, ...]:
    """The answers appendix in words: "3 of 4 answered “agree”", naming each answer as the
    respondent saw it (a scale question's level words, yes/partly/no, a choice's label),
    never a code. Same counts and the same minimum group size as `_answers`."""
    min_n = bank.spec.min_group_size
    too_few = _("shown when at least %(n)s have answered") % {"n": min_n}
    fixed = {"yes": _("yes"), "partly": _("partly"), "no": _("no"), "dont_know": _("don't know")}
    themes = []
    for theme in bank.themes:
        rows = []
        for q in theme.questions:
            if q.kind is Kind.TEXT:
                continue
            if q.kind is Kind.NUMBER:
                median = profile.number_medians.get(q.key)
                summary = (
                    "–"
                    if median is None
                    else _("Median answer: %(value)s")
                    % {"value": number_format(median, decimal_pos=None if median % 1 else 0)}
                )
                rows.append(AnswerRow(question=tr(q.text), summary=summary))
                continue
            counts = profile.answer_counts.get(q.key, {})
            total = sum(counts.values())
            if 0 < total < min_n:
                rows.append(AnswerRow(question=tr(q.text), summary=too_few))
                continue
            if q.kind is Kind.SCALE:
                labels = {str(i + 1): tr(level) for i, level in enumerate(q.levels)}
            elif q.kind is Kind.CHOICE:
                labels = {c.value: tr(c.label) for c in q.choices}
            else:
                labels = {}
            order = [*labels, "yes", "partly", "no", "dont_know"]
            parts = [
                _("%(count)s of %(total)s answered “%(answer)s”")
                % {"count": counts[v], "total": total, "answer": labels.get(v) or fixed.get(v, v)}
                for v in sorted(counts, key=lambda v: order.index(v) if v in order else len(order))
                if counts[v]
            ]
            rows.append(AnswerRow(question=tr(q.text), summary="; ".join(parts) or "–"))
        themes.append(AnswerThemeRow(name=tr(theme.name), rows=tuple(rows)))
    return tuple(themes)


def _references(recommendations: tuple[RecommendationRow, ...]) -> tuple[ReferenceRow, ...]:
    """Every source the recommendations cite, once, numbered in order of first citation."""
    seen: dict[str, ReferenceRow] = {}
    for rec in recommendations:
        for src in rec.sources:
            if src.key not in seen:
                seen[src.key] = ReferenceRow(len(seen) + 1, src.key, src.citation, src.url)
    return tuple(seen.values())


def _reference_numbers(
    recommendations: tuple[RecommendationRow, ...], references: tuple[ReferenceRow, ...]
) -> dict[str, tuple[int, ...]]:
    number = {r.key: r.number for r in references}
    return {rec.key: tuple(number[s.key] for s in rec.sources) for rec in recommendations}


def _approach_note(library: Library, key: str) -> str:
    """The kind of solution in plain words: "hyllevare"/"skreddersøm" are planners' jargon."""
    rec = library.by_key.get(key)
    approach = rec.approach if rec else ""
    return {
        "ready_made": _("A ready-made solution: a tried method or tool you can use as it is."),
        "tailored": _(
            "Needs tailoring: there is no ready answer; it has to be worked out locally."
        ),
    }.get(approach, approach_label(approach) if approach else "")


def _change_fields(
    bank: Bank,
    profile: Profile,
    previous: TrendRound | None,
    previous_theme_names: Mapping[str, I18n],
) -> dict[str, Any]:
    """The change since the municipality's previous closed round, dimension by dimension and
    theme by theme, in this round's bank: across versions each theme is compared with the
    earlier themes the bank maps it to (reports/comparison.py in_terms_of), and a theme with
    no mapping is left out. Changes are the difference of the two shown values."""
    if previous is None or profile.overall is None:
        return {}
    earlier = in_terms_of(bank, previous)
    crosses = previous.bank_version != bank.version
    mapped = dict(cross_version_pairs(bank, [previous])) if crosses else {}
    rows = []
    for dim in bank.dimensions:
        before, now = earlier.dimensions.get(dim.key), profile.dimension(dim.key).score
        rows.append(
            ChangeRow(
                key=dim.key,
                name=tr(dim.name),
                is_dimension=True,
                before=_round(before),
                now=_round(now),
                change=display_change(before, now),
            )
        )
        for theme in dim.themes:
            if theme.key not in earlier.themes:
                continue  # no comparable theme in the earlier round
            before, now = earlier.themes[theme.key], profile.theme(theme.key).score
            olds = mapped.get(theme.key, "")
            rows.append(
                ChangeRow(
                    key=theme.key,
                    name=tr(theme.name),
                    is_dimension=False,
                    before=_round(before),
                    now=_round(now),
                    change=display_change(before, now),
                    compared_with=", ".join(
                        tr(previous_theme_names[k]) if k in previous_theme_names else k
                        for k in (k.strip() for k in olds.split(","))
                    )
                    if olds
                    else "",
                )
            )
    return {
        "change": tuple(rows),
        "change_since": previous.label
        if not previous.period
        else f"{previous.period}, {previous.label}",
        "change_overall": display_change(previous.overall, profile.overall),
        "change_crosses_versions": crosses,
        "change_earlier_version": previous.bank_version,
    }


def _benchmark_rows(bank: Bank, profile: Profile, benchmark: Benchmark) -> tuple[BenchmarkRow, ...]:
    """The profile against its peers' quartiles, dimensions first, in the bank's order."""
    items = [
        *[
            (d.name, profile.dimension(d.key).score, benchmark.dimensions.get(d.key), True)
            for d in bank.dimensions
        ],
        *[
            (t.name, profile.theme(t.key).score, benchmark.themes.get(t.key), False)
            for t in bank.themes
        ],
    ]
    return tuple(
        BenchmarkRow(
            name=tr(name),
            own=_round(own),
            q1=_round(quart.q1) or 0,
            median=_round(quart.median) or 0,
            q3=_round(quart.q3) or 0,
            is_dimension=is_dimension,
        )
        for name, own, quart, is_dimension in items
        if quart is not None
    )


def build_report(assessment: Assessment, *, language: str | None = None) -> ReportData:
    """Everything a report says about one assessment, in `language` (default: the
    municipality's official language form)."""
    language = language or assessment.municipality.report_language
    with translation.override(language):
        # Inside the language: the previous round's name is translated as it is read.
        inputs = report_selectors.report_inputs(assessment)
        context = ReportContext(
            municipality=assessment.municipality,
            period=assessment.period,
            round_label=assessment.title,
            status_label=str(assessment.get_status_display()),
            when=assessment.closed_at or timezone.now(),
            fictional=assessment.fictional,
            draft=assessment.is_open,
        )
    return compose_report(
        bank=assessment.bank.parsed, inputs=inputs, context=context, language=language
    )
