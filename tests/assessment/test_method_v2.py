"""Method 2 (bank v2 on): the plan register, equal voices, gaps on common questions, markers
read off the shown figures, and awareness questions. Pure: no database."""

from __future__ import annotations

from datetime import date

import pytest

from assessment import register
from assessment.register import FactResult, Register, Status, Term
from assessment.scoring import (
    Answer,
    Audience,
    Band,
    BankSpec,
    DimensionSpec,
    Kind,
    QuestionSpec,
    RegisterItem,
    Response,
    RoleGroup,
    ThemeSpec,
    profile_from_dict,
    score,
)

POL, ADM = RoleGroup.POLITICIAN, RoleGroup.ADMINISTRATION
BANDS = (Band("starting", 0), Band("developing", 35), Band("established", 60), Band("leading", 80))
TERM = Term(first_year=2023, constituted=date(2023, 10, 19))


def bank(*questions: QuestionSpec, register_items: tuple[RegisterItem, ...] = ()) -> BankSpec:
    return BankSpec(
        version="test2",
        method=2,
        dimensions=(DimensionSpec("d", (ThemeSpec("t", tuple(questions)),)),),
        bands=BANDS,
        register=register_items,
    )


def scale(key: str, audience: Audience = Audience.ALL) -> QuestionSpec:
    return QuestionSpec(key=key, kind=Kind.SCALE, audience=audience)


def person(role: RoleGroup, **answers: str) -> Response:
    return Response(role=role, answers={k: Answer(value=v) for k, v in answers.items()})


# --- equal voices ---------------------------------------------------------------------------


def test_a_large_group_does_not_drown_out_a_small_one():
    spec = bank(scale("q"))
    council = [person(POL, q="5") for _ in range(11)]
    administration = [person(ADM, q="1") for _ in range(3)]
    profile = score(spec, council + administration)
    assert profile.theme("t").score == pytest.approx(50.0)  # not 11/14 of the way to 100
    v1 = score(BankSpec(**{**spec.__dict__, "method": 1}), council + administration)
    assert v1.theme("t").score == pytest.approx(100 * 11 / 14)


def test_the_gap_compares_only_questions_both_groups_were_asked():
    spec = bank(
        scale("common"),
        scale("pol_only", Audience.POLITICIAN),
        scale("adm_only", Audience.ADMINISTRATION),
    )
    people = [person(POL, common="3", pol_only="5") for _ in range(2)] + [
        person(ADM, common="3", adm_only="1") for _ in range(2)
    ]
    theme = score(spec, people).theme("t")
    assert theme.gap == pytest.approx(0.0)
    assert not theme.large_gap
    assert dict(theme.gap_means) == {"politician": 50.0, "administration": 50.0}
    # Bank v1's method compared the groups' whole theme means: a gap of 50.
    assert score(BankSpec(**{**spec.__dict__, "method": 1}), people).theme("t").gap == 50.0


def test_a_theme_with_no_common_question_has_no_gap():
    spec = bank(scale("pol_only", Audience.POLITICIAN), scale("adm_only", Audience.ADMINISTRATION))
    people = [person(POL, pol_only="5")] * 2 + [person(ADM, adm_only="1")] * 2
    assert score(spec, people).theme("t").gap is None


def test_the_gap_marker_reads_the_shown_figures():
    # Means 70.5 and 50.25 are shown as 71 and 50: a gap of 21 is marked, whatever the raw
    # difference (20.25) says.
    spec = bank(*(scale(f"q{i}") for i in range(8)))
    pol = [person(POL, **{f"q{i}": "4" for i in range(8)}) for _ in range(3)]
    pol[0] = person(POL, **{f"q{i}": "4" for i in range(7)}, q7="1")
    adm = [person(ADM, **{f"q{i}": "3" for i in range(8)}) for _ in range(2)]
    theme = score(spec, pol + adm).theme("t")
    shown_pol, shown_adm = (
        round(theme.gap_means["politician"]),
        round(theme.gap_means["administration"]),
    )
    assert theme.large_gap == (abs(shown_pol - shown_adm) > 20)


def test_split_is_marked_from_the_shown_spread():
    # Two see the theme at 75 and two at 25: the spread is exactly 25, which is split.
    spec = bank(scale("q"))
    people = [person(POL, q="4"), person(POL, q="2"), person(ADM, q="4"), person(ADM, q="2")]
    theme = score(spec, people).theme("t")
    assert theme.spread == pytest.approx(25.0)
    assert theme.split


# --- the plan register ----------------------------------------------------------------------


STRATEGY = (RegisterItem("strategy_adopted", "t", 2.0),)


@pytest.mark.parametrize(
    ("recorded", "today", "status", "points"),
    [
        (Register(strategy_adopted=date(2024, 6, 1)), date(2025, 1, 1), Status.MET, 100.0),
        (Register(strategy_adopted=date(2025, 3, 1)), date(2025, 4, 1), Status.LATE, 75.0),
        (Register(strategy_missing=True), date(2024, 3, 1), Status.NOT_DUE, None),
        (Register(strategy_missing=True), date(2024, 11, 1), Status.MISSING, 0.0),
        # Adopted before the council was constituted: the previous term's strategy.
        (Register(strategy_adopted=date(2020, 5, 1)), date(2024, 3, 1), Status.NOT_DUE, None),
        (Register(), date(2025, 1, 1), Status.UNKNOWN, None),
    ],
)
def test_strategy_deadline_is_one_year_after_the_council_is_constituted(
    recorded, today, status, points
):
    result = register.strategy_rule(recorded, TERM, today)
    assert (result.status, result.score) == (status, points)
    assert result.due == date(2024, 10, 19)


def test_what_is_not_yet_due_never_scores_as_a_failure():
    spec = bank(scale("q"), register_items=STRATEGY)
    people = [person(POL, q="3")] * 2 + [person(ADM, q="3")] * 2
    early = register.evaluate(Register(strategy_missing=True), TERM, date(2024, 1, 15))
    late = register.evaluate(Register(strategy_missing=True), TERM, date(2024, 12, 1))
    assert score(spec, people, early).theme("t").score == pytest.approx(50.0)
    assert score(spec, people, late).theme("t").score == pytest.approx(100 / 3)  # 50, 50, 0


def test_a_plan_part_kept_by_the_strategy_counts_in_full():
    kept = register.community_part_rule(
        Register(community_part=date(2016, 1, 1), community_part_kept=True), TERM, date(2025, 6, 1)
    )
    assert (kept.status, kept.score) == (Status.KEPT, 100.0)
    previous = Register(community_part=date(2021, 2, 1))
    assert register.community_part_rule(previous, TERM, date(2024, 2, 1)).status is Status.NOT_DUE
    assert register.community_part_rule(previous, TERM, date(2025, 2, 1)).status is Status.PREVIOUS
    old = register.community_part_rule(
        Register(community_part=date(2012, 1, 1)), TERM, date(2024, 1, 1)
    )
    assert (old.status, old.score) == (Status.OLD, 25.0)


def test_delegation_is_due_by_the_end_of_the_year_after_constitution():
    assert TERM.delegation_due == date(2024, 12, 31)
    result = register.delegation_rule(Register(delegation_missing=True), TERM, date(2024, 12, 31))
    assert result.status is Status.NOT_DUE
    result = register.delegation_rule(Register(delegation_missing=True), TERM, date(2025, 1, 1))
    assert (result.status, result.score) == (Status.MISSING, 0.0)


def test_term_is_read_from_the_round_period_and_defaults_to_the_end_of_october():
    term = register.term_of("2023-2027")
    assert term is not None and term.constituted == date(2023, 10, 31)
    assert register.term_of("2023-2027", date(2023, 10, 12)).strategy_due == date(2024, 10, 12)
    assert register.term_of("next term") is None


def test_register_facts_are_frozen_into_the_profile():
    spec = bank(scale("q"), register_items=STRATEGY)
    facts = register.evaluate(Register(strategy_adopted=date(2024, 5, 1)), TERM, date(2025, 1, 1))
    profile = score(spec, [person(POL, q="5")] * 2, facts)
    again = profile_from_dict(profile.to_dict())
    assert again.register["strategy_adopted"]["status"] == "met"
    assert register.fact_from_dict(again.register["strategy_adopted"]) == facts["strategy_adopted"]
    assert again.theme("t").register_score == 100.0


def test_an_unrecorded_fact_is_a_gap_in_completeness():
    spec = bank(scale("q"), register_items=STRATEGY)
    people = [person(POL, q="3")] * 2
    recorded = register.evaluate(
        Register(strategy_adopted=date(2024, 5, 1)), TERM, date(2025, 1, 1)
    )
    assert score(spec, people, recorded).completeness == 1.0
    unrecorded = register.evaluate(Register(), TERM, date(2025, 1, 1))
    assert score(spec, people, unrecorded).completeness == pytest.approx(2 / 3)


# --- awareness ------------------------------------------------------------------------------


def awareness() -> QuestionSpec:
    return QuestionSpec(key="aw", kind=Kind.AWARENESS, fact="strategy_adopted")


def test_awareness_scores_knowing_the_fact_not_the_fact():
    spec = bank(awareness())
    facts = {"strategy_adopted": FactResult("strategy_adopted", Status.MISSING, 0.0)}
    people = [
        person(POL, aw="no"),  # right: not adopted
        person(POL, aw="yes"),  # wrong
        Response(POL, {"aw": Answer(dont_know=True)}),  # does not know
        person(ADM, aw="no"),
        person(ADM, aw="no"),
    ]
    theme = score(spec, people, facts).theme("t")
    assert {g.role: g.mean for g in theme.groups} == {
        "politician": pytest.approx(100 / 3),
        "administration": 100.0,
    }


def test_awareness_is_not_scored_before_the_register_says():
    spec = bank(awareness(), scale("q"))
    people = [person(POL, aw="yes", q="5")] * 2
    theme = score(spec, people, {}).theme("t")
    assert theme.score == 100.0
    assert theme.applicable == 2  # only q: nobody's answer to aw can be checked


def test_the_level_is_read_off_the_score_as_shown():
    from assessment.scoring import _band

    v2 = bank(scale("q"))
    assert _band(v2, 59.6) == "established"  # shown as 60, so "established", never "developing"
    assert _band(v2, 59.4) == "developing"
    v1 = BankSpec(**{**v2.__dict__, "method": 1})
    assert _band(v1, 59.6) == "developing"  # bank v1 reproduces as it was


def test_awareness_answers_are_counted_for_the_answers_appendix():
    spec = bank(awareness())
    facts = {"strategy_adopted": FactResult("strategy_adopted", Status.MET, 100.0)}
    people = [person(POL, aw="yes"), person(POL, aw="no"), person(ADM, aw="yes")] * 1
    people += [Response(ADM, {"aw": Answer(dont_know=True)})]
    assert score(spec, people, facts).answer_counts["aw"] == {"yes": 2, "no": 1, "dont_know": 1}
