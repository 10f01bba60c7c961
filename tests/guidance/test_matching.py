"""Rule matching against the real library v1 and tiny hand-made libraries (no database)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest
import yaml

from guidance.library import Library, parse_library
from guidance.matching import (
    STRENGTH_MIN,
    Condition,
    Facts,
    Match,
    MatchResult,
    RecommendationSpec,
    RuleSpec,
    Subject,
    evaluate,
    match,
    result_from_dict,
    result_to_dict,
)
from tests.conftest import ROOT

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "plan_culture": (
        "planning_strategy",
        "community_plan",
        "action_finance",
        "knowledge_base",
        "participation",
    ),
    "role_clarity": ("political_ownership", "arenas", "delegation", "role_division"),
    "capacity": ("dev_leadership", "dev_competence", "dev_culture", "resources", "cooperation"),
}
THEMES = tuple(t for themes in DIMENSIONS.values() for t in themes)
FACT_QUESTIONS = ("ps_adopted", "ps_within_year", "ps_evaluation", "de_reviewed", "rd_training")


@pytest.fixture(scope="module")
def library() -> Library:
    with (ROOT / "fixtures" / "library" / "v1.yaml").open(encoding="utf-8") as f:
        return parse_library(yaml.safe_load(f))


def healthy(**changes: Any) -> Facts:
    """A municipality doing well everywhere; keyword arguments replace whole Facts fields."""
    base = Facts(
        theme_scores=dict.fromkeys(THEMES, 85.0),
        dimension_scores=dict.fromkeys(DIMENSIONS, 85.0),
        gaps=dict.fromkeys(THEMES, 0.0),
        completeness=1.0,
        answer_counts={q: {"yes": 2} for q in FACT_QUESTIONS},
    )
    return replace(base, **changes)


def with_themes(facts: Facts, **scores: float) -> Facts:
    return replace(facts, theme_scores={**facts.theme_scores, **scores})


def with_dimensions(facts: Facts, **scores: float) -> Facts:
    return replace(facts, dimension_scores={**facts.dimension_scores, **scores})


def with_gaps(facts: Facts, **gaps: float | None) -> Facts:
    return replace(facts, gaps={**facts.gaps, **gaps})


def with_answers(facts: Facts, **counts: Mapping[str, int] | None) -> Facts:
    merged = {**facts.answer_counts, **counts}
    return replace(facts, answer_counts={k: v for k, v in merged.items() if v is not None})


def condition_keys(cond: Condition) -> Iterator[tuple[str, str]]:
    """(kind, key) of a condition and of every child of an `all`."""
    if cond.kind == "all":
        for child in cond.children:
            yield from condition_keys(child)
    else:
        yield cond.kind, cond.key


def keys(result: MatchResult) -> list[str]:
    return [m.key for m in result.recommendations]


def by_key(result: MatchResult) -> dict[str, Match]:
    return {m.key: m for m in result.recommendations}


# --- the healthy baseline ------------------------------------------------------------------


def test_healthy_baseline_matches_nothing(library: Library):
    result = match(library.specs, healthy(), limit=100)
    assert result.recommendations == ()
    assert set(result.strengths) == set(DIMENSIONS)


def test_baseline_covers_every_theme_and_fact_question_used_by_the_library(library: Library):
    # Otherwise "matches nothing" could be an accident of missing facts.
    used = {
        (kind, key)
        for rec in library.recommendations
        for rule in rec.rules
        for kind, key in condition_keys(rule.condition)
    }
    facts = healthy()
    assert {k for kind, k in used if kind in ("theme", "gap")} <= set(facts.theme_scores)
    assert {k for kind, k in used if kind == "dimension"} <= set(facts.dimension_scores)
    assert {k for kind, k in used if kind == "answer"} <= set(facts.answer_counts)


# --- one concrete profile per piece of advice in the final report R-6/23 -------------------

ADVICE_PROFILES: dict[int, tuple[str, Facts, str, str]] = {
    # advice item: (what changed, facts, condition kind, condition key)
    1: (
        "plan culture as a whole is weak (dimension 35)",
        with_dimensions(healthy(), plan_culture=35.0),
        "dimension",
        "plan_culture",
    ),
    2: (
        "no arenas to discuss the community plans (arenas 30)",
        with_themes(healthy(), arenas=30.0),
        "theme",
        "arenas",
    ),
    3: (
        "no planning strategy adopted; its follow-ups are therefore not asked",
        with_answers(healthy(), ps_adopted={"no": 3}, ps_within_year=None, ps_evaluation=None),
        "answer",
        "ps_adopted",
    ),
    4: (
        "outdated knowledge base (knowledge_base 30)",
        with_themes(healthy(), knowledge_base=30.0),
        "theme",
        "knowledge_base",
    ),
    5: (
        "the community plan does not steer (community_plan 30)",
        with_themes(healthy(), community_plan=30.0),
        "theme",
        "community_plan",
    ),
    6: (
        "delegation rules not reviewed this term",
        with_answers(healthy(), de_reviewed={"no": 2, "yes": 1}),
        "answer",
        "de_reviewed",
    ),
    7: (
        "little inter-municipal cooperation (cooperation 30)",
        with_themes(healthy(), cooperation=30.0),
        "theme",
        "cooperation",
    ),
}


@pytest.mark.parametrize("advice_item", sorted(ADVICE_PROFILES), ids=lambda i: f"advice{i}")
def test_each_advice_item_is_recommended_for_its_own_weakness(library: Library, advice_item: int):
    _, facts, kind, key = ADVICE_PROFILES[advice_item]
    result = match(library.specs, facts, limit=5)

    hits = [m for m in result.recommendations if library.by_key[m.key].advice_item == advice_item]
    assert hits, f"no advice {advice_item} recommendation in {keys(result)}"
    for m in hits:
        best_rule = library.by_key[m.key].rules[m.rules[0]]
        assert (kind, key) in set(condition_keys(best_rule.condition)), (m.key, best_rule)
        assert m.subject is not None
        assert (m.subject.kind, m.subject.key) == (kind, key)
    # Everything recommended is explained by the one thing that changed.
    for m in result.recommendations:
        for index in m.rules:
            rule = library.by_key[m.key].rules[index]
            assert (kind, key) in set(condition_keys(rule.condition)), (m.key, index)


def test_advice_profiles_hit_the_expected_recommendations(library: Library):
    """Pins which recommendation (and which rule) each advice profile leads with."""
    expected = {
        1: ("establish_plan_culture", 0),  # dimension plan_culture below 40, priority 88
        2: ("establish_planning_arenas", 0),  # theme arenas below 40, priority 86
        3: ("adopt_strategy_within_year", 0),  # answer ps_adopted in [no], priority 90
        4: ("update_knowledge_base", 0),  # theme knowledge_base below 40, priority 86
        5: ("use_local_room_for_manoeuvre", 0),  # theme community_plan below 40, priority 82
        6: ("review_delegation_rules", 2),  # answer de_reviewed in [no], priority 70
        7: ("intermunicipal_planning_cooperation", 0),  # theme cooperation below 40, p. 85
    }
    for item, (rec_key, rule_index) in expected.items():
        result = match(library.specs, ADVICE_PROFILES[item][1], limit=5)
        found = by_key(result)
        assert rec_key in found, (item, keys(result))
        assert found[rec_key].rules[0] == rule_index, item
        assert library.by_key[rec_key].advice_item == item


def test_resources_weakness_frees_resources_advice_6(library: Library):
    # The other face of advice 6: too little time and money for planning.
    result = match(library.specs, with_themes(healthy(), resources=30.0), limit=5)
    advice_6 = [m.key for m in result.recommendations if library.by_key[m.key].advice_item == 6]
    assert advice_6 == ["protect_time_for_development", "cut_thematic_plans"]
    assert keys(result)[:2] == advice_6


# --- role gaps ------------------------------------------------------------------------------


def test_large_role_gap_on_arenas_selects_role_gap_recommendations(library: Library):
    facts = with_gaps(healthy(), arenas=35.0)  # politicians 35 points above the administration
    found = by_key(match(library.specs, facts))
    assert "role_gap_workshop" in found
    assert found["role_gap_workshop"].priority == 80
    assert found["role_gap_workshop"].subject == Subject("gap", "arenas", 35.0)
    assert "align_role_expectations" in found
    rule = library.by_key["align_role_expectations"].rules[
        found["align_role_expectations"].rules[0]
    ]
    assert rule.condition.kind == "gap"
    assert rule.condition.key == "arenas"
    assert keys(match(library.specs, facts))[0] == "role_gap_workshop"


def test_role_gap_counts_either_direction(library: Library):
    found = by_key(match(library.specs, with_gaps(healthy(), arenas=-35.0)))
    assert found["role_gap_workshop"].subject == Subject("gap", "arenas", -35.0)
    assert "align_role_expectations" in found


def test_small_role_gap_selects_nothing(library: Library):
    assert match(library.specs, with_gaps(healthy(), arenas=10.0)).recommendations == ()


def test_unknown_role_gaps_select_nothing(library: Library):
    facts = healthy(gaps=dict.fromkeys(THEMES))  # groups too small to compare
    assert match(library.specs, facts).recommendations == ()


def test_moderate_role_gap_uses_the_lower_priority_rule(library: Library):
    found = by_key(match(library.specs, with_gaps(healthy(), arenas=25.0)))
    assert found["role_gap_workshop"].priority == 60
    assert found["role_gap_workshop"].rules == (1,)


# --- completeness --------------------------------------------------------------------------


def test_low_completeness_asks_to_complete_the_picture_first(library: Library):
    result = match(library.specs, healthy(completeness=0.4))
    assert keys(result) == ["complete_the_picture"]
    first = result.recommendations[0]
    assert first.priority == 95
    assert first.rules == (0, 1)  # both thresholds hold, the stricter one leads
    assert first.subject == Subject("completeness", "", 0.4)


def test_low_completeness_outranks_real_weaknesses(library: Library):
    facts = with_themes(healthy(completeness=0.4), planning_strategy=30.0, arenas=30.0)
    result = match(library.specs, facts)
    assert keys(result)[0] == "complete_the_picture"
    assert len(result.recommendations) == 5


def test_medium_completeness_ranks_by_its_lower_priority(library: Library):
    facts = with_themes(healthy(completeness=0.6), planning_strategy=30.0)
    result = match(library.specs, facts)
    ranked = keys(result)
    # priority 80 comes after the 90s of a planning strategy at 30, but still in the top 5
    assert ranked[0] == "use_planning_strategy_actively"
    assert "complete_the_picture" in ranked
    assert by_key(result)["complete_the_picture"].priority == 80


def test_complete_enough_is_silent(library: Library):
    assert match(library.specs, healthy(completeness=0.7)).recommendations == ()


# --- answer rules: a majority of those who answered ----------------------------------------

NO = Condition(kind="answer", key="ps_adopted", values=frozenset({"no"}))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"no": 1, "yes": 1}, True),  # exactly half
        ({"no": 2, "yes": 1}, True),
        ({"no": 1, "yes": 2}, False),
        ({"no": 1, "partly": 1, "yes": 1}, False),
        ({"no": 1, "yes": 1, "dont_know": 5}, True),  # "don't know" is ignored ...
        ({"no": 1, "yes": 2, "dont_know": 9}, False),  # ... both ways
        ({"no": 1, "dont_know": 9}, True),
        ({"dont_know": 3}, False),  # nobody really answered
        ({}, False),
        ({"no": 0, "yes": 0}, False),
    ],
)
def test_answer_rule_needs_at_least_half_of_real_answers(counts: dict[str, int], expected: bool):
    facts = healthy(answer_counts={"ps_adopted": counts})
    ok, subject = evaluate(NO, facts)
    assert ok is expected
    real = {k: v for k, v in counts.items() if k != "dont_know"}
    # The subject carries the share, so a reason can say "1 of 2 answered no".
    assert subject == Subject(
        "answer", "ps_adopted", None, real.get("no", 0), sum(real.values()), ("no",)
    )


def test_answer_rule_on_an_unanswered_question_does_not_match():
    assert evaluate(NO, healthy(answer_counts={}))[0] is False


def test_answer_rule_with_several_values():
    cond = Condition(kind="answer", key="ps_adopted", values=frozenset({"no", "partly"}))
    facts = healthy(answer_counts={"ps_adopted": {"no": 1, "partly": 1, "yes": 2}})
    assert evaluate(cond, facts)[0] is True


def test_split_answer_selects_the_strategy_recommendation(library: Library):
    half = with_answers(healthy(), ps_adopted={"no": 1, "yes": 1})
    assert "adopt_strategy_within_year" in keys(match(library.specs, half))
    minority = with_answers(healthy(), ps_adopted={"no": 1, "yes": 2})
    assert match(library.specs, minority).recommendations == ()


# --- evaluate() edge cases ------------------------------------------------------------------


def test_theme_bounds_are_strict():
    below = Condition(kind="theme", key="arenas", below=40.0)
    above = Condition(kind="theme", key="arenas", above=40.0)
    assert evaluate(below, with_themes(healthy(), arenas=40.0))[0] is False
    assert evaluate(below, with_themes(healthy(), arenas=39.9))[0] is True
    assert evaluate(above, with_themes(healthy(), arenas=40.0))[0] is False
    assert evaluate(above, with_themes(healthy(), arenas=40.1))[0] is True


def test_missing_or_unknown_scores_never_match():
    cond = Condition(kind="theme", key="arenas", below=101.0)
    assert evaluate(cond, with_themes(healthy(), arenas=None))[0] is False  # type: ignore[arg-type]
    assert evaluate(Condition(kind="theme", key="nope", below=101.0), healthy())[0] is False
    dim = Condition(kind="dimension", key="capacity", below=101.0)
    assert evaluate(dim, healthy(dimension_scores={"capacity": None}))[0] is False


def test_all_needs_every_child_and_reports_the_first_subject():
    cond = Condition(
        kind="all",
        children=(
            Condition(kind="theme", key="resources", below=50.0),
            Condition(kind="theme", key="action_finance", below=60.0),
        ),
    )
    both = with_themes(healthy(), resources=40.0, action_finance=50.0)
    assert evaluate(cond, both) == (True, Subject("theme", "resources", 40.0))
    assert evaluate(cond, with_themes(healthy(), resources=40.0)) == (False, None)


def test_any_gap_reports_the_largest_gap():
    cond = Condition(kind="any_gap", above=20.0)
    facts = with_gaps(healthy(), arenas=25.0, delegation=-31.0, resources=None)
    assert evaluate(cond, facts) == (True, Subject("gap", "delegation", -31.0))


def test_unknown_condition_kind_raises():
    with pytest.raises(ValueError, match="unknown condition kind 'bogus'"):
        evaluate(Condition(kind="bogus"), healthy())


def test_unknown_kind_inside_all_raises():
    cond = Condition(kind="all", children=(Condition(kind="bogus"),))
    with pytest.raises(ValueError, match="bogus"):
        evaluate(cond, healthy())


# --- determinism and ranking ---------------------------------------------------------------


def weak_profile() -> Facts:
    """Many weaknesses with distinct values, so no tie depends on dict order."""
    scores = {t: 20.0 + 4 * i for i, t in enumerate(THEMES)}
    return Facts(
        theme_scores=scores,
        dimension_scores={"plan_culture": 42.0, "role_clarity": 61.0, "capacity": 70.0},
        gaps={t: (-1) ** i * (3.0 + 2 * i) for i, t in enumerate(THEMES)},
        completeness=0.65,
        answer_counts={
            "ps_adopted": {"no": 2, "yes": 1, "dont_know": 1},
            "de_reviewed": {"partly": 2},
            "rd_training": {"no": 1, "partly": 1},
        },
    )


def shuffled(mapping: Mapping, rng: random.Random) -> dict:
    items = list(mapping.items())
    rng.shuffle(items)
    return {k: shuffled(v, rng) if isinstance(v, Mapping) else v for k, v in items}


def shuffle_facts(facts: Facts, rng: random.Random) -> Facts:
    return Facts(
        theme_scores=shuffled(facts.theme_scores, rng),
        dimension_scores=shuffled(facts.dimension_scores, rng),
        gaps=shuffled(facts.gaps, rng),
        completeness=facts.completeness,
        answer_counts=shuffled(facts.answer_counts, rng),
    )


def test_same_facts_give_the_identical_result(library: Library):
    facts = weak_profile()
    first = match(library.specs, facts)
    assert match(library.specs, facts) == first
    assert match(library.specs, weak_profile()) == first
    assert len(first.recommendations) == 5


def test_dict_order_does_not_change_the_result(library: Library):
    facts = weak_profile()
    expected = match(library.specs, facts, limit=100)
    rng = random.Random(2023)
    for _ in range(25):
        other = shuffle_facts(facts, rng)
        assert other == facts
        assert match(library.specs, other, limit=100) == expected


def test_dict_order_does_not_change_strengths_on_equal_scores(library: Library):
    """Regression (fixed): strengths with equal scores once came out in the dict's order, so
    two equal Facts gave different results; matching.py now breaks ties by key."""
    facts = healthy()  # all three dimensions at 85
    backwards = healthy(dimension_scores=dict(reversed(list(facts.dimension_scores.items()))))
    assert backwards == facts
    assert match(library.specs, backwards) == match(library.specs, facts)


def test_dict_order_does_not_change_which_role_gap_is_named(library: Library):
    """Regression (fixed): with two equally large gaps, any_gap once named the first in dict
    order, so the role_gap_workshop subject depended on dict order."""
    facts = with_gaps(healthy(), arenas=35.0, delegation=-35.0)
    backwards = healthy(gaps=dict(reversed(list(facts.gaps.items()))))
    assert backwards == facts
    assert match(library.specs, backwards) == match(library.specs, facts)


def theme_rec(key: str, theme: str, priority: int) -> RecommendationSpec:
    return RecommendationSpec(
        key=key,
        rules=(RuleSpec(Condition(kind="theme", key=theme, below=60.0), priority),),
    )


def test_ties_broken_by_lower_score_then_library_order():
    tiny = (
        theme_rec("a", "arenas", 50),
        theme_rec("b", "delegation", 50),
        theme_rec("c", "resources", 50),
        theme_rec("d", "cooperation", 70),
        theme_rec("e", "participation", 50),
    )
    facts = with_themes(
        healthy(),
        arenas=50.0,
        delegation=30.0,
        resources=50.0,
        cooperation=55.0,
        participation=50.0,
    )
    # d: highest priority despite the highest score; b: lowest score; a, c, e: library order
    assert keys(match(tiny, facts)) == ["d", "b", "a", "c", "e"]
    reordered = (tiny[4], tiny[2], tiny[1], tiny[0], tiny[3])
    assert keys(match(reordered, facts)) == ["d", "b", "e", "c", "a"]


def test_a_recommendation_uses_its_best_rule_and_lists_all_hits():
    rec = RecommendationSpec(
        key="r",
        rules=(
            RuleSpec(Condition(kind="theme", key="arenas", below=60.0), 50),
            RuleSpec(Condition(kind="theme", key="delegation", below=60.0), 80),
            RuleSpec(Condition(kind="theme", key="resources", below=60.0), 50),
            RuleSpec(Condition(kind="theme", key="cooperation", below=60.0), 99),
        ),
    )
    facts = with_themes(healthy(), arenas=10.0, delegation=50.0, resources=20.0)
    (m,) = match((rec,), facts).recommendations
    assert m.priority == 80
    assert m.rules == (1, 0, 2)  # by priority, then rule order
    assert m.subject == Subject("theme", "delegation", 50.0)


# --- limit and strengths --------------------------------------------------------------------


def test_limit_is_respected(library: Library):
    facts = weak_profile()
    everything = match(library.specs, facts, limit=100).recommendations
    assert len(everything) > 5
    assert len(match(library.specs, facts).recommendations) == 5
    for limit in (0, 1, 3, 5, 7):
        result = match(library.specs, facts, limit=limit)
        assert result.recommendations == everything[:limit]


def test_ranking_follows_priority(library: Library):
    ranked = match(library.specs, weak_profile(), limit=100).recommendations
    priorities = [m.priority for m in ranked]
    assert priorities == sorted(priorities, reverse=True)


def test_strengths_are_dimensions_at_or_above_60_best_first():
    assert STRENGTH_MIN == 60.0
    facts = healthy(dimension_scores={"plan_culture": 60.0, "role_clarity": 59.4, "capacity": 90.0})
    assert match((), facts).strengths == ("capacity", "plan_culture")
    # Method 2 reads the score as shown: 59.6 is shown as 60, so it is a strength; library v1
    # (diversified=False) compared the raw score and keeps doing so.
    shown = healthy(dimension_scores={"plan_culture": 59.6, "role_clarity": 59.4, "capacity": 90.0})
    assert match((), shown).strengths == ("capacity", "plan_culture")
    assert match((), shown, diversified=False).strengths == ("capacity",)
    none_known = healthy(dimension_scores=dict.fromkeys(DIMENSIONS))
    assert match((), none_known).strengths == ()
    weak = healthy(dimension_scores=dict.fromkeys(DIMENSIONS, 40.0))
    assert match((), weak).strengths == ()


def test_strengths_do_not_depend_on_the_limit(library: Library):
    facts = weak_profile()
    assert match(library.specs, facts, limit=0).strengths == ("capacity", "role_clarity")


# --- serialisation --------------------------------------------------------------------------


def test_result_round_trips_through_a_dict(library: Library):
    for facts in (healthy(), weak_profile(), with_gaps(healthy(), arenas=35.0)):
        result = match(library.specs, facts, limit=100)
        assert result_from_dict(result_to_dict(result)) == result
        # and through JSON, as stored in a snapshot
        assert result_from_dict(json.loads(json.dumps(result_to_dict(result)))) == result


def test_round_trip_keeps_a_missing_subject_and_answer_subjects():
    result = MatchResult(
        recommendations=(
            Match(key="x", priority=10, rules=(2, 0), subject=None),
            Match(key="y", priority=5, rules=(1,), subject=Subject("answer", "ps_adopted", None)),
        ),
        strengths=("capacity",),
    )
    data = result_to_dict(result)
    assert data["recommendations"][0]["subject"] is None
    assert result_from_dict(data) == result


def test_empty_dict_gives_an_empty_result():
    assert result_from_dict({}) == MatchResult(recommendations=(), strengths=())
