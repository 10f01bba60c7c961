"""Politicians against the administration: group means, the gap, the privacy rule (no figure
for a group of one), the threshold, the workshop page and the recommendations it selects."""

from __future__ import annotations

import re
import statistics
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from assessment import services
from assessment.models import Respondent
from assessment.scoring import RoleGroup
from reports import charts
from reports import services as reports_services
from reports.report import build_report
from tests.factories import answer_everything

POL = RoleGroup.POLITICIAN
ADM = RoleGroup.ADMINISTRATION
SCALE = {"1": 0.0, "2": 25.0, "3": 50.0, "4": 75.0, "5": 100.0}
YESNO = {"no": 0.0, "partly": 50.0, "yes": 100.0}


def half_up(value: float) -> int:
    return int(value + 0.5)


def respond(assessment, role: RoleGroup, themes: dict[str, dict[str, str]]) -> Respondent:
    """One submitted respondent with exactly these answers (theme -> question -> value)."""
    respondent = Respondent.objects.create(assessment=assessment, role_group=role.value)
    for theme_key, answers in themes.items():
        services.answers_save(
            respondent=respondent,
            theme_key=theme_key,
            answers={key: services.AnswerInput(value=v) for key, v in answers.items()},
        )
    services.respondent_submit(respondent=respondent)
    return respondent


def gap_row(report, key):
    rows = [g for g in report.gaps if g.key == key]
    assert len(rows) <= 1
    return rows[0] if rows else None


def page_text(html: str) -> str:
    """What a reader (or a screen reader) gets: text only, chart titles included, no styles
    and no drawing coordinates."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def has_number(text: str, number: int) -> bool:
    return re.search(rf"(?<![\d.,]){number}(?![\d.,])", text) is not None


# --- hand calculation -----------------------------------------------------------------------

# Theme "arenas" (fixtures/bank/v1.yaml): ar_arenas scale, weight 2; ar_regular yes/no,
# weight 1; ar_signals scale, weight 1, asked of the administration only.
# Politicians: (2*arenas + regular) / 3. Administration: (2*arenas + regular + signals) / 4.
ARENAS = {
    "p1": (POL, {"ar_arenas": "5", "ar_regular": "yes"}),  # (200 + 100) / 3 = 100
    "p2": (POL, {"ar_arenas": "4", "ar_regular": "partly"}),  # (150 + 50) / 3 = 66.67
    "a1": (ADM, {"ar_arenas": "2", "ar_regular": "no", "ar_signals": "3"}),  # 100 / 4 = 25
    "a2": (ADM, {"ar_arenas": "3", "ar_regular": "partly", "ar_signals": "1"}),  # 150/4 = 37.5
}


def arenas_by_hand(answers: dict[str, str]) -> float:
    total = 2 * SCALE[answers["ar_arenas"]] + YESNO[answers["ar_regular"]]
    if "ar_signals" in answers:
        return (total + SCALE[answers["ar_signals"]]) / 4
    return total / 3


@pytest.fixture
def arenas_assessment(vega_assessment):
    for role, answers in ARENAS.values():
        respond(vega_assessment, role, {"arenas": answers})
    reports_services.round_close(assessment=vega_assessment)  # figures exist once closed
    return vega_assessment


def test_hand_calculated_gap_on_arenas(arenas_assessment, bank):
    per_person = {name: arenas_by_hand(answers) for name, (_, answers) in ARENAS.items()}
    assert per_person["p1"] == 100
    assert per_person["p2"] == pytest.approx(200 / 3)
    assert per_person["a1"] == 25
    assert per_person["a2"] == 37.5
    pol_mean = (100 + 200 / 3) / 2  # 83.33
    adm_mean = (25 + 37.5) / 2  # 31.25
    gap = pol_mean - adm_mean  # 52.08

    report = build_report(arenas_assessment)
    row = gap_row(report, "arenas")
    assert row is not None
    assert (row.politicians, row.administration, row.gap) == (83, 31, 52)
    assert (half_up(pol_mean), half_up(adm_mean), half_up(gap)) == (83, 31, 52)
    assert row.large is True
    assert [g.key for g in report.gaps] == ["arenas"]  # no other theme was answered
    assert report.respondents_by_role == {"politician": 2, "administration": 2, "other": 0}

    theme_score = next(t for t in report.themes if t.key == "arenas").score
    assert theme_score == half_up(statistics.fmean(per_person.values()))  # 57.29 -> 57

    from assessment import selectors

    profile = selectors.assessment_profile(arenas_assessment)
    groups = {g.role: g for g in profile.theme("arenas").groups}
    assert groups["politician"].n == 2
    assert groups["politician"].mean == pytest.approx(pol_mean)
    assert groups["politician"].spread == pytest.approx(statistics.pstdev([100, 200 / 3]))
    assert groups["administration"].mean == pytest.approx(adm_mean)
    assert groups["administration"].spread == pytest.approx(6.25)
    assert profile.theme("arenas").gap == pytest.approx(gap)

    with translation.override("en"):
        svg = charts.role_gap_svg(report)
    [title] = re.findall(r"<title[^>]*>(.*?)</title>", svg, flags=re.S)
    assert "83" in title and "31" in title
    assert "politicians 83, administration 31" in title


def test_gap_is_rounded_half_up_like_every_other_figure(vega_assessment):
    """Theme "cooperation": three scale questions, all asked of everyone; answering all three
    alike gives that answer's score. Politicians 50 and 75 (mean 62.5), administration 50
    and 50: the gap is 12.5, shown as 13 next to 63 and 50."""
    for role, level in [(POL, "3"), (POL, "4"), (ADM, "3"), (ADM, "3")]:
        respond(
            vega_assessment,
            role,
            {
                "cooperation": dict.fromkeys(
                    ("co_neighbours", "co_county", "co_early_dialogue"), level
                )
            },
        )
    reports_services.round_close(assessment=vega_assessment)
    row = gap_row(build_report(vega_assessment), "cooperation")
    assert (row.politicians, row.administration) == (63, 50)
    assert row.gap == 13, "gap rounded with round() (banker's rounding), not half up"


# --- privacy: no figure for a group of one --------------------------------------------------

# The lone politician's "arenas" score is 83 (ar_arenas 5, ar_regular partly: 250 / 3); the
# administration's is 0. A number like 83 cannot come from anything else on these pages.
LONE_POLITICIAN_ARENAS = {"ar_arenas": "5", "ar_regular": "partly"}
ZERO_ARENAS = {"ar_arenas": "1", "ar_regular": "no", "ar_signals": "1"}


def _lone_politician(assessment, politicians: int = 1):
    for role, arenas, count in [(POL, LONE_POLITICIAN_ARENAS, politicians), (ADM, ZERO_ARENAS, 2)]:
        for _ in range(count):
            respondent = answer_everything(assessment, role, 1)
            respondent.submitted_at = None
            respondent.save()
            services.answers_save(
                respondent=respondent,
                theme_key="arenas",
                answers={key: services.AnswerInput(value=value) for key, value in arenas.items()},
            )
            services.respondent_submit(respondent=respondent)
    reports_services.round_close(assessment=assessment)
    return assessment


def test_group_of_one_gets_no_figures(client, alice, vega_assessment):
    _lone_politician(vega_assessment)
    from assessment import selectors

    profile = selectors.assessment_profile(vega_assessment)
    assert profile.respondents_by_role == {"politician": 1, "administration": 2, "other": 0}
    assert profile.held_back == {"politician": 1}
    for theme in profile.themes:
        assert theme.gap is None
        assert theme.large_gap is False
        assert all(group.role != "politician" for group in theme.groups)
    # The lone politician is in no figure at all, not even the theme score: else
    # 3 x theme - 2 x administration would give their 83 back.
    assert profile.theme("arenas").score == 0

    report = build_report(vega_assessment)
    assert report.gaps == ()
    assert report.differ == () and report.agree == ()

    client.force_login(alice)
    for name in ("reports:results", "reports:workshop"):
        response = client.get(reverse(name, kwargs={"pk": vega_assessment.pk}))
        assert response.status_code == 200
        assert response.context["gaps_svg"] == ""
        text = page_text(response.content.decode())
        assert not has_number(text, 83), name


def test_group_of_two_gets_its_figures(client, alice, vega_assessment):
    _lone_politician(vega_assessment, politicians=2)
    row = gap_row(build_report(vega_assessment), "arenas")
    assert (row.politicians, row.administration, row.gap) == (83, 0, 83)
    client.force_login(alice)
    for name in ("reports:results", "reports:workshop"):
        response = client.get(reverse(name, kwargs={"pk": vega_assessment.pk}))
        assert response.status_code == 200
        assert response.context["gaps_svg"]
        assert has_number(page_text(response.content.decode()), 83), name


def test_answer_summary_hides_questions_only_one_person_answered(vega_assessment, bank):
    """The report's answer appendix (PDF) counts answers per question. A question asked of
    politicians only, with one politician, would show that person's own answer."""
    _lone_politician(vega_assessment)
    report = build_report(vega_assessment)
    assert not report.answers_hidden
    from assessment.i18n import tr

    with translation.override(report.language):
        politician_only = {
            tr(q.text) for q in bank.questions.values() if q.audience.value == "politician"
        }
    assert politician_only
    leaks = [
        (row.question, row.summary)
        for theme in report.answers
        for row in theme.rows
        if row.question in politician_only and re.search(r": \d", row.summary)
    ]
    assert leaks == [], "a lone politician's individual answers are in the report"


# --- the threshold --------------------------------------------------------------------------


def _answers(theme_levels: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    return {theme: dict(pairs) for theme, pairs in theme_levels.items()}


# Per person: theme -> answers. Politicians and administration answer alike within a group.
# cooperation (3 scales): politicians 75, administration 50 -> +25, large.
# political_ownership ((2*own + pri + prog + use) / 5 for politicians, use not asked of the
#   administration, so /4): politicians (100 + 50 + 25 + 50) / 5 = 45; administration
#   (50 + 25 + 25) / 4 = 25 -> +20, exactly the threshold: not large, not "agree".
# dev_culture ((2*prio + 3 scales) / 5): politicians (100 + 25*3) / 5 = 35, administration
#   25 -> +10, half the threshold: "agree".
# role_division: both 62.5 -> 0, agree.
# dev_competence: politicians 0, administration 100 -> -100, large.
THRESHOLD_CASES = {
    POL: {
        "cooperation": {"co_neighbours": "4", "co_county": "4", "co_early_dialogue": "4"},
        "political_ownership": {
            "po_ownership": "3",
            "po_priorities": "3",
            "po_programmes": "2",
            "po_use_plans": "3",
        },
        "dev_culture": {"cu_priority": "3", "cu_outward": "2", "cu_risk": "2", "cu_community": "2"},
        "role_division": {"rd_training": "yes", "rd_clear_roles": "3", "rd_trust": "3"},
        "dev_competence": {
            "dc_planning": "1",
            "dc_process_tools": "1",
            "dc_turnover": "1",
            "dc_training": "no",
        },
    },
    ADM: {
        "cooperation": {"co_neighbours": "3", "co_county": "3", "co_early_dialogue": "3"},
        "political_ownership": {"po_ownership": "2", "po_priorities": "2", "po_programmes": "2"},
        "dev_culture": {"cu_priority": "2", "cu_outward": "2", "cu_risk": "2", "cu_community": "2"},
        "role_division": {"rd_training": "yes", "rd_clear_roles": "3", "rd_trust": "3"},
        "dev_competence": {
            "dc_planning": "5",
            "dc_process_tools": "5",
            "dc_turnover": "5",
            "dc_training": "yes",
        },
    },
}
EXPECTED_GAPS = {
    "cooperation": (75, 50, 25, True),
    "political_ownership": (45, 25, 20, False),
    "dev_culture": (35, 25, 10, False),
    "role_division": (63, 63, 0, False),
    "dev_competence": (0, 100, -100, True),
}


@pytest.fixture
def threshold_assessment(vega_assessment):
    for role in (POL, POL, ADM, ADM):
        respond(vega_assessment, role, THRESHOLD_CASES[role])
    reports_services.round_close(assessment=vega_assessment)
    return vega_assessment


def test_large_gap_differ_and_agree_follow_the_threshold(threshold_assessment, bank):
    assert bank.spec.role_gap_threshold == 20
    report = build_report(threshold_assessment)
    assert report.gap_threshold == 20
    found = {g.key: (g.politicians, g.administration, g.gap, g.large) for g in report.gaps}
    assert found == EXPECTED_GAPS
    assert [g.key for g in report.differ] == ["dev_competence", "cooperation"]  # largest first
    assert {g.key for g in report.agree} == {"role_division", "dev_culture"}
    assert not {g.key for g in report.agree} & {g.key for g in report.differ}


def test_threshold_comes_from_the_bank(vega_assessment, bank_record, monkeypatch):
    parsed = bank_record.parsed  # the per-process parse that every view and report uses
    monkeypatch.setitem(parsed.__dict__, "spec", replace(parsed.spec, role_gap_threshold=30.0))
    for role in (POL, POL, ADM, ADM):
        respond(vega_assessment, role, THRESHOLD_CASES[role])
    reports_services.round_close(assessment=vega_assessment)  # scored with the patched bank
    report = build_report(vega_assessment)
    assert report.gap_threshold == 30
    assert [g.key for g in report.differ] == ["dev_competence"]
    assert {g.key for g in report.agree} == {"role_division", "dev_culture"}


# --- the workshop page ----------------------------------------------------------------------


def test_workshop_for_coordinator_only(client, alice, bob, charlie, threshold_assessment):
    url = reverse("reports:workshop", kwargs={"pk": threshold_assessment.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    report = response.context["view"]
    largest = max(report.gaps, key=lambda g: abs(g.gap))
    assert largest.key == "dev_competence"
    first = report.discussion[0]
    assert largest.name in first
    assert str(largest.politicians) in first and str(largest.administration) in first
    body = response.content.decode()
    from django.utils.html import escape

    assert escape(first) in body
    assert 'id="ws-gaps"' in body
    # Only themes beyond the threshold get a role-gap question.
    gap_questions = [q for q in report.discussion if any(g.name in q for g in report.differ)]
    assert len(gap_questions) >= 2
    assert not any(g.name in q for q in report.discussion[:2] for g in report.gaps if not g.large)


def test_workshop_before_anyone_answers(client, alice, vega_assessment):
    client.force_login(alice)
    response = client.get(reverse("reports:workshop", kwargs={"pk": vega_assessment.pk}))
    assert response.status_code == 200
    assert response.context["gaps_svg"] == ""


# --- recommendations ------------------------------------------------------------------------

ROLE_GAP_KEYS = {"role_gap_workshop", "align_role_expectations"}


def test_large_gap_selects_a_role_gap_recommendation(arenas_assessment):
    keys = {r.key for r in build_report(arenas_assessment).recommendations}
    assert keys & ROLE_GAP_KEYS


def test_large_gap_with_full_answers_selects_a_role_gap_recommendation(vega_assessment):
    for role, level in [(POL, 5), (POL, 5), (ADM, 1), (ADM, 2)]:
        answer_everything(vega_assessment, role, level)
    reports_services.round_close(assessment=vega_assessment)
    report = build_report(vega_assessment)
    assert report.differ
    assert {r.key for r in report.recommendations} & ROLE_GAP_KEYS


def test_no_role_gap_recommendation_without_a_comparison(vega_assessment):
    _lone_politician(vega_assessment)
    keys = {r.key for r in build_report(vega_assessment).recommendations}
    assert not keys & ROLE_GAP_KEYS
