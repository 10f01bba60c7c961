"""The real question bank v1, the bank loader's validation, and installed-bank immutability."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from assessment import services
from assessment.bank import Bank, BankError, parse_bank, read_bank_file
from assessment.models import Dimension, Question, QuestionBank, Theme
from assessment.scoring import Audience, Kind, score
from content.models import Source
from tests.conftest import ROOT

# --- the real bank v1 ------------------------------------------------------------------------


def test_v1_has_the_three_dimensions(bank: Bank):
    assert bank.version == "1"
    assert [d.key for d in bank.dimensions] == ["plan_culture", "role_clarity", "capacity"]
    for dimension in bank.dimensions:
        assert 3 <= len(dimension.themes) <= 5, dimension.key


def test_v1_question_count(bank: Bank):
    assert 35 <= len(bank.questions) <= 60
    assert sum(len(t.questions) for t in bank.themes) == len(bank.questions)  # keys unique


def test_v1_scale_questions_have_five_levels(bank: Bank):
    scales = [q for q in bank.questions.values() if q.kind is Kind.SCALE]
    assert scales
    for q in scales:
        assert len(q.levels) == 5, q.key
        assert all(level.get("nb") for level in q.levels), q.key


def test_v1_every_source_is_a_source_record(bank: Bank):
    keys = {q.source for q in bank.questions.values()}
    assert set(Source.objects.filter(key__in=keys).values_list("key", flat=True)) == keys


def test_v1_installed_rows_match_the_bank(bank: Bank, bank_record: QuestionBank):
    assert bank_record.status == QuestionBank.Status.PUBLISHED
    rows = {q.key: q for q in Question.objects.filter(bank=bank_record).select_related("source")}
    assert set(rows) == set(bank.questions)
    for key, q in bank.questions.items():
        assert rows[key].source.key == q.source
        assert rows[key].kind == q.kind.value
        assert rows[key].audience == q.audience.value


def test_v1_has_role_specific_questions(bank: Bank):
    audiences = {q.audience for q in bank.questions.values()}
    assert Audience.POLITICIAN in audiences
    assert Audience.ADMINISTRATION in audiences


def test_v1_has_unscored_number_questions(bank: Bank):
    numbers = [q for q in bank.questions.values() if q.kind is Kind.NUMBER]
    assert len(numbers) >= 2
    assert not any(q.scored for q in numbers)


def test_v1_planning_strategy_follow_ups(bank: Bank):
    for key in ("ps_within_year", "ps_evaluation", "ps_active_use"):
        condition = bank.questions[key].condition
        assert condition is not None, key
        assert condition.question == "ps_adopted"
        assert condition.values == frozenset({"yes", "partly"})
    assert bank.questions["ps_adopted"].condition is None


def test_v1_conditions_point_at_earlier_questions(bank: Bank):
    order = list(bank.questions)
    for key, q in bank.questions.items():
        if q.condition is not None:
            assert order.index(q.condition.question) < order.index(key)


def test_v1_bands_start_at_zero_and_ascend(bank: Bank):
    mins = [b.min for b in bank.bands]
    assert mins[0] == 0
    assert mins == sorted(mins)
    assert bank.spec.band_for(0) == bank.bands[0].key
    assert bank.spec.band_for(100) == bank.bands[-1].key


def test_v1_spec_mirrors_the_bank(bank: Bank):
    spec = bank.spec
    assert spec.version == bank.version
    assert [q.key for d in spec.dimensions for t in d.themes for q in t.questions] == list(
        bank.questions
    )
    assert spec.low_confidence_below == bank.low_confidence_below == 0.7
    assert spec.role_gap_threshold == bank.role_gap_threshold == 20
    # No answers at all: a profile with no scores, not an error.
    assert score(spec, []).overall is None


def test_v1_file_parses_to_the_installed_bank(bank: Bank):
    from_file = read_bank_file(ROOT / "fixtures" / "bank" / "v1.yaml")
    assert from_file.content_hash == bank.content_hash


# --- parse_bank validation -------------------------------------------------------------------

LEVELS = [{"nb": f"Nivå {i}"} for i in range(1, 6)]
Q = "dimensions[0].themes[0].questions"


def minimal_document() -> dict[str, Any]:
    return {
        "version": "test",
        "title": {"nb": "Testbank"},
        "bands": [
            {"key": "low", "min": 0, "label": {"nb": "Lav"}},
            {"key": "high", "min": 50, "label": {"nb": "Høy"}},
        ],
        "dimensions": [
            {
                "key": "dim",
                "name": {"nb": "Dimensjon"},
                "themes": [
                    {
                        "key": "theme",
                        "name": {"nb": "Tema"},
                        "questions": [
                            {
                                "key": "adopted",
                                "kind": "yesno",
                                "text": {"nb": "Vedtatt?"},
                                "source": "src",
                            },
                            {
                                "key": "used",
                                "kind": "scale",
                                "condition": {"question": "adopted", "in": ["yes", "partly"]},
                                "text": {"nb": "Brukt?"},
                                "levels": copy.deepcopy(LEVELS),
                                "source": "src",
                            },
                            {
                                "key": "count",
                                "kind": "number",
                                "text": {"nb": "Hvor mange?"},
                                "source": "src",
                            },
                        ],
                    }
                ],
            }
        ],
    }


def questions_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["dimensions"][0]["themes"][0]["questions"]


def test_minimal_document_is_valid():
    bank = parse_bank(minimal_document(), source_keys={"src"})
    assert list(bank.questions) == ["adopted", "used", "count"]
    assert bank.questions["used"].condition.question == "adopted"
    assert not bank.questions["count"].scored
    assert [t.key for d in bank.spec.dimensions for t in d.themes] == ["theme"]


def _no_nb_text(doc):
    questions_of(doc)[0]["text"] = {"nn": "Vedteke?"}


def _four_levels(doc):
    questions_of(doc)[1]["levels"] = LEVELS[:4]


def _duplicate_key(doc):
    questions_of(doc)[2]["key"] = "adopted"


def _condition_on_later_question(doc):
    questions_of(doc)[1]["condition"]["question"] = "count"


def _condition_on_unknown_question(doc):
    questions_of(doc)[1]["condition"]["question"] = "nowhere"


def _condition_on_itself(doc):
    questions_of(doc)[1]["condition"]["question"] = "used"


def _condition_only_no(doc):
    questions_of(doc)[1]["condition"]["in"] = ["no"]


def _condition_only_partly(doc):
    questions_of(doc)[1]["condition"]["in"] = ["partly"]


def _condition_no_and_partly(doc):
    questions_of(doc)[1]["condition"]["in"] = ["no", "partly"]


def _bands_start_above_zero(doc):
    doc["bands"][0]["min"] = 10


def _bands_descend(doc):
    doc["bands"].reverse()


def _unknown_kind(doc):
    questions_of(doc)[0]["kind"] = "slider"


def _unknown_source(doc):
    questions_of(doc)[2]["source"] = "nowhere_2020"


def _non_positive_question_weight(doc):
    questions_of(doc)[0]["weight"] = 0


def _unknown_audience(doc):
    questions_of(doc)[0]["audience"] = "mayor"


BREAKAGES: list[tuple[Callable[[dict[str, Any]], None], list[str]]] = [
    (_no_nb_text, [f"{Q}[0].text", "'nb'"]),
    (_four_levels, [f"{Q}[1].levels", "5"]),
    (_duplicate_key, [f"{Q}[2].key", "'adopted'"]),
    (_condition_on_later_question, [f"{Q}[1].condition.question", "'count'"]),
    (_condition_on_unknown_question, [f"{Q}[1].condition.question", "'nowhere'"]),
    (_condition_on_itself, [f"{Q}[1].condition.question", "'used'"]),
    (_condition_only_no, [f"{Q}[1].condition.in"]),
    (_condition_only_partly, [f"{Q}[1].condition.in"]),
    (_condition_no_and_partly, [f"{Q}[1].condition.in"]),
    (_bands_start_above_zero, ["bands", "start at 0"]),
    (_bands_descend, ["bands", "ascend"]),
    (_unknown_kind, [f"{Q}[0].kind"]),
    (_unknown_source, [f"{Q}[2].source", "'nowhere_2020'"]),
    (_non_positive_question_weight, [f"{Q}[0].weight"]),
    (_unknown_audience, [f"{Q}[0].audience"]),
]


@pytest.mark.parametrize(
    ("breakage", "named"), BREAKAGES, ids=[b.__name__.strip("_") for b, _ in BREAKAGES]
)
def test_parse_bank_refuses_a_broken_document(breakage, named):
    doc = minimal_document()
    breakage(doc)
    with pytest.raises(BankError) as info:
        parse_bank(doc, source_keys={"src"})
    for part in named:
        assert part in str(info.value)


def test_unknown_source_is_only_checked_when_source_keys_are_given():
    doc = minimal_document()
    _unknown_source(doc)
    assert parse_bank(doc).questions["count"].source == "nowhere_2020"


@pytest.mark.parametrize("weight", [0, -1])
def test_parse_bank_refuses_a_non_positive_theme_weight(weight):
    # Regression (fixed): theme weights are checked like question weights. A theme weight of
    # 0 or less would break the weighted mean of a dimension: with themes weighted 1, 1, -1
    # and scores 0, 100, 50 the dimension scores 50, and raising the third theme to 100
    # lowers it to 0.
    doc = minimal_document()
    doc["dimensions"][0]["themes"][0]["weight"] = weight
    with pytest.raises(BankError, match=r"dimensions\[0\]\.themes\[0\]\.weight"):
        parse_bank(doc, source_keys={"src"})


# --- immutability of an installed bank -------------------------------------------------------


def _row_counts() -> tuple[int, int, int, int]:
    return (
        QuestionBank.objects.count(),
        Dimension.objects.count(),
        Theme.objects.count(),
        Question.objects.count(),
    )


def test_installing_the_same_bank_again_is_a_no_op(bank: Bank, bank_record: QuestionBank):
    before = _row_counts()
    assert services.bank_install(bank=bank) == bank_record
    from_file = read_bank_file(ROOT / "fixtures" / "bank" / "v1.yaml")
    assert services.bank_install(bank=from_file) == bank_record
    assert _row_counts() == before


def test_changed_content_under_a_published_version_is_refused(
    bank: Bank, bank_record: QuestionBank
):
    document = copy.deepcopy(dict(bank.document))
    document["title"] = {"nb": "Endret tittel"}
    changed = parse_bank(document)
    assert changed.version == bank.version
    assert changed.content_hash != bank.content_hash
    before = _row_counts()
    with pytest.raises(services.ServiceError, match="v1"):
        services.bank_install(bank=changed)
    assert _row_counts() == before
    bank_record.refresh_from_db()
    assert bank_record.content_hash == bank.content_hash


def test_a_draft_may_be_replaced_but_a_published_bank_may_not(db):
    doc = minimal_document()
    doc["version"] = "draft-test"
    first = parse_bank(doc)
    Source.objects.create(key="src", citation="Test source", year=2024)
    draft = services.bank_install(bank=first, publish=False)
    assert draft.status == QuestionBank.Status.DRAFT
    assert services.bank_install(bank=first, publish=False) == draft

    doc["title"] = {"nb": "Ny tittel"}
    replaced = services.bank_install(bank=parse_bank(doc), publish=True)
    assert replaced.pk != draft.pk
    assert not QuestionBank.objects.filter(pk=draft.pk).exists()
    assert Question.objects.filter(bank=replaced).count() == 3

    doc["title"] = {"nb": "Enda en tittel"}
    with pytest.raises(services.ServiceError):
        services.bank_install(bank=parse_bank(doc))


def test_install_refuses_unknown_source_keys(db):
    doc = minimal_document()
    doc["version"] = "no-sources"
    with pytest.raises(services.ServiceError, match="src"):
        services.bank_install(bank=parse_bank(doc))
    assert not QuestionBank.objects.filter(version="no-sources").exists()


def test_report_cut_offs_and_the_privacy_minimum_are_read_from_the_bank():
    doc = minimal_document()
    bank = parse_bank(doc, source_keys={"src"})
    assert (bank.strength_count, bank.min_group_size, bank.spec.min_group_size) == (3, 2, 2)
    doc["strength_count"] = 2
    doc["min_group_size"] = 3
    bank = parse_bank(doc, source_keys={"src"})
    assert (bank.strength_count, bank.spec.min_group_size) == (2, 3)


@pytest.mark.parametrize("value", [1, 0, 2.5])
def test_a_bank_cannot_ask_for_figures_from_one_person(value):
    doc = minimal_document()
    doc["min_group_size"] = value
    with pytest.raises(BankError, match="min_group_size"):
        parse_bank(doc, source_keys={"src"})
