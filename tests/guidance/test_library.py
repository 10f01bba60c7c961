"""The real recommendation library v1, the library loader's validation, and installation."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from assessment.bank import Bank
from assessment.services import ServiceError
from content.models import Source
from guidance.library import (
    APPROACHES,
    EFFORTS,
    WHO,
    Library,
    LibraryError,
    parse_library,
)
from guidance.matching import Condition
from guidance.models import Library as LibraryRecord
from guidance.services import library_install
from tests.conftest import ROOT

LIBRARY_FILE = ROOT / "fixtures" / "library" / "v1.yaml"


def read_document() -> dict[str, Any]:
    with LIBRARY_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def v1() -> Library:
    return parse_library(read_document())


def conditions(cond: Condition) -> Iterator[Condition]:
    yield cond
    for child in cond.children:
        yield from conditions(child)


def rule_conditions(library: Library) -> Iterator[Condition]:
    for rec in library.recommendations:
        for rule in rec.rules:
            yield from conditions(rule.condition)


# --- the real library v1 --------------------------------------------------------------------


def test_v1_size(v1: Library):
    assert v1.version == "1"
    assert len(v1.recommendations) >= 20
    assert len(v1.by_key) == len(v1.recommendations)  # keys unique


def test_v1_covers_all_seven_pieces_of_advice(v1: Library):
    items = {r.advice_item for r in v1.recommendations if r.advice_item is not None}
    assert items == set(range(1, 8))


@pytest.mark.parametrize("field", ["title", "finding", "why"])
def test_v1_texts_present(v1: Library, field: str):
    for rec in v1.recommendations:
        assert getattr(rec, field)["nb"].strip(), rec.key


def test_v1_every_recommendation_is_actionable(v1: Library):
    for rec in v1.recommendations:
        assert 3 <= len(rec.first_steps) <= 5, rec.key
        assert all(step["nb"].strip() for step in rec.first_steps), rec.key
        assert rec.who, rec.key
        assert set(rec.who) <= set(WHO), rec.key
        assert rec.effort in EFFORTS, rec.key
        assert rec.approach in APPROACHES, rec.key
        assert rec.sources, rec.key
        assert rec.rules, rec.key


def test_v1_every_source_is_a_source_record(v1: Library, db):
    used = {s for rec in v1.recommendations for s in rec.sources}
    used |= {s for example in v1.examples.values() for s in example.sources}
    known = set(Source.objects.values_list("key", flat=True))
    assert used - known == set()
    parse_library(read_document(), source_keys=known)  # the loader agrees


def test_v1_every_linked_example_exists(v1: Library):
    for rec in v1.recommendations:
        assert set(rec.examples) <= set(v1.examples), rec.key
    linked = {e for rec in v1.recommendations for e in rec.examples}
    assert linked == set(v1.examples)  # and no example is orphaned


def test_v1_rule_keys_exist_in_the_bank(bank: Bank):
    library = parse_library(read_document(), bank=bank)  # raises LibraryError otherwise
    themes = {t.key for t in bank.themes}
    dimensions = {d.key for d in bank.dimensions}
    for cond in rule_conditions(library):
        if cond.kind in ("theme", "gap"):
            assert cond.key in themes, cond
        elif cond.kind == "dimension":
            assert cond.key in dimensions, cond
        elif cond.kind == "answer":
            assert cond.key in bank.questions, cond


def test_v1_answer_rules_use_real_options(v1: Library, bank: Bank):
    # The loader checks only the question key; a YAML slip like `in: [no]` (unquoted -> False)
    # would silently never match.
    for cond in rule_conditions(v1):
        if cond.kind == "answer":
            options = set(bank.questions[cond.key].spec.value_scores())
            assert cond.values, cond
            assert cond.values <= options, cond


def test_v1_strength_texts_for_every_dimension(v1: Library, bank: Bank):
    assert set(v1.strengths) == {d.key for d in bank.dimensions}


@pytest.mark.parametrize(
    "theme",
    [
        "dev_leadership",
        "dev_competence",
        "dev_culture",
        "resources",
        "participation",
        "role_division",
        "cooperation",
        "planning_strategy",
        "knowledge_base",
    ],
)
def test_v1_has_a_rule_on_theme(v1: Library, theme: str):
    assert any(c.kind == "theme" and c.key == theme for c in rule_conditions(v1))


def test_v1_resources_covers_both_finances_and_time(v1: Library):
    def on_resources(key: str) -> bool:
        return any(
            c.kind == "theme" and c.key == "resources"
            for rule in v1.by_key[key].rules
            for c in conditions(rule.condition)
        )

    assert on_resources("secure_development_finances")
    assert on_resources("protect_time_for_development")


def test_v1_priorities_are_sane(v1: Library):
    for rec in v1.recommendations:
        for rule in rec.rules:
            assert 0 < rule.priority <= 100, rec.key
            assert rule.reason["nb"].strip(), rec.key


def test_installed_library_is_the_file(db):
    record = LibraryRecord.objects.get(version="1")
    parsed = record.parsed
    assert parsed.content_hash == parse_library(read_document()).content_hash
    assert record.content_hash == parsed.content_hash
    assert [r.key for r in parsed.recommendations] == [
        r["key"] for r in read_document()["recommendations"]
    ]


# --- parse_library validation on a minimal document ----------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "version": "test",
        "recommendations": [
            {
                "key": "one",
                "advice_item": 2,
                "title": {"nb": "Tittel"},
                "finding": {"nb": "Funn"},
                "why": {"nb": "Hvorfor"},
                "first_steps": [{"nb": "Steg 1"}, {"nb": "Steg 2"}, {"nb": "Steg 3"}],
                "who": ["council", "planner"],
                "effort": "small",
                "approach": "ready_made",
                "sources": ["r6_23"],
                "examples": ["ex"],
                "rules": [
                    {
                        "when": {"theme": "arenas", "below": 40},
                        "priority": 80,
                        "reason": {"nb": "Grunn"},
                    },
                    {
                        "when": {"answer": "ps_adopted", "in": ["no"]},
                        "priority": 70,
                        "reason": {"nb": "Grunn"},
                    },
                ],
            }
        ],
        "examples": [
            {
                "key": "ex",
                "title": {"nb": "Eksempel"},
                "municipality": "Vega",
                "summary": {"nb": "Sammendrag"},
            }
        ],
    }


def test_minimal_document_is_valid(bank: Bank):
    library = parse_library(minimal(), bank=bank, source_keys={"r6_23"})
    assert library.version == "test"
    (rec,) = library.recommendations
    assert rec.advice_item == 2
    assert rec.examples == ("ex",)
    assert [r.condition.kind for r in rec.rules] == ["theme", "answer"]


def _first(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["recommendations"][0]


def _duplicate(doc: dict[str, Any]) -> None:
    second = copy.deepcopy(_first(doc))
    doc["recommendations"].append(second)


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        _first(doc)[field] = value

    return change


def _set_when(when: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        _first(doc)["rules"][0]["when"] = when

    return change


@pytest.mark.parametrize(
    ("change", "path"),
    [
        pytest.param(_duplicate, "recommendations[1].key", id="duplicate-key"),
        pytest.param(
            _set("first_steps", [{"nb": "a"}, {"nb": "b"}]),
            "recommendations[0].first_steps",
            id="two-first-steps",
        ),
        pytest.param(
            _set("first_steps", [{"nb": str(i)} for i in range(6)]),
            "recommendations[0].first_steps",
            id="six-first-steps",
        ),
        pytest.param(_set("who", ["council", "king"]), "recommendations[0].who", id="unknown-who"),
        pytest.param(_set("effort", "huge"), "recommendations[0].effort", id="unknown-effort"),
        pytest.param(
            _set("approach", "bespoke"), "recommendations[0].approach", id="unknown-approach"
        ),
        pytest.param(
            _set("examples", ["ex", "atlantis"]),
            "recommendations[0].examples",
            id="unknown-example",
        ),
        pytest.param(
            _set_when({"weather": "rain"}),
            "recommendations[0].rules[0].when",
            id="unknown-condition-form",
        ),
        pytest.param(
            _set_when({"theme": "arenas"}),
            "recommendations[0].rules[0].when",
            id="theme-without-bound",
        ),
        pytest.param(
            _set_when({"all": []}), "recommendations[0].rules[0].when.all", id="empty-all"
        ),
        pytest.param(
            _set_when({"completeness": "sideways", "value": 0.5}),
            "recommendations[0].rules[0].when.completeness",
            id="bad-completeness-direction",
        ),
        pytest.param(_set("advice_item", 9), "recommendations[0].advice_item", id="advice-9"),
        pytest.param(_set("advice_item", 0), "recommendations[0].advice_item", id="advice-0"),
        pytest.param(_set("title", {"en": "Title"}), "recommendations[0].title", id="no-nb-title"),
        pytest.param(_set("rules", []), "recommendations[0].rules", id="no-rules"),
    ],
)
def test_invalid_document_names_the_path(change: Callable[[dict[str, Any]], None], path: str):
    doc = minimal()
    change(doc)
    with pytest.raises(LibraryError) as excinfo:
        parse_library(doc)
    assert str(excinfo.value).startswith(path), str(excinfo.value)


def test_duplicate_key_message_names_the_key():
    doc = minimal()
    _duplicate(doc)
    with pytest.raises(LibraryError, match=r"recommendations\[1\]\.key: duplicate 'one'"):
        parse_library(doc)


@pytest.mark.parametrize(
    ("when", "path"),
    [
        ({"theme": "weather", "below": 40}, "recommendations[0].rules[0].when.theme"),
        ({"dimension": "luck", "below": 40}, "recommendations[0].rules[0].when.dimension"),
        ({"answer": "xx_unknown", "in": ["no"]}, "recommendations[0].rules[0].when.answer"),
        ({"gap": "weather", "above": 20}, "recommendations[0].rules[0].when.gap"),
        (
            {"all": [{"theme": "arenas", "below": 60}, {"theme": "weather", "below": 60}]},
            "recommendations[0].rules[0].when.all[1].theme",
        ),
    ],
    ids=["theme", "dimension", "answer", "gap", "nested-in-all"],
)
def test_rule_keys_must_exist_in_the_bank(bank: Bank, when: dict[str, Any], path: str):
    doc = minimal()
    _set_when(when)(doc)
    parse_library(copy.deepcopy(doc))  # fine without a bank to check against
    with pytest.raises(LibraryError) as excinfo:
        parse_library(doc, bank=bank)
    assert str(excinfo.value).startswith(path), str(excinfo.value)
    assert "unknown" in str(excinfo.value)


def test_unknown_source_is_refused_when_sources_are_known():
    doc = minimal()
    _first(doc)["sources"] = ["r6_23", "made_up_2099"]
    parse_library(copy.deepcopy(doc))  # not checked without source_keys
    with pytest.raises(LibraryError) as excinfo:
        parse_library(doc, source_keys={"r6_23"})
    message = str(excinfo.value)
    assert message.startswith("recommendations[0].sources")
    assert "made_up_2099" in message


@pytest.mark.parametrize("advice", [None, 1, 7])
def test_advice_item_may_be_null_or_1_to_7(advice: int | None):
    doc = minimal()
    _first(doc)["advice_item"] = advice
    assert parse_library(doc).recommendations[0].advice_item == advice


def test_content_hash_ignores_key_order_but_not_content():
    doc = minimal()
    reordered = dict(reversed(list(copy.deepcopy(doc).items())))
    assert parse_library(reordered).content_hash == parse_library(doc).content_hash
    changed = minimal()
    _first(changed)["title"] = {"nb": "Annen tittel"}
    assert parse_library(changed).content_hash != parse_library(doc).content_hash


# --- installing a library version -----------------------------------------------------------


def test_installing_the_same_content_twice_returns_the_same_record(db):
    doc = minimal()
    doc["version"] = "test-install"
    first = library_install(library=parse_library(doc))
    again = library_install(library=parse_library(copy.deepcopy(doc)))
    assert again.pk == first.pk
    assert LibraryRecord.objects.filter(version="test-install").count() == 1
    assert first.definition == doc


def test_reinstalling_v1_is_a_no_op(db):
    installed = LibraryRecord.objects.get(version="1")
    assert library_install(library=parse_library(read_document())).pk == installed.pk


def test_changed_content_under_the_same_version_is_refused(db):
    doc = minimal()
    doc["version"] = "test-install"
    library_install(library=parse_library(doc))
    changed = copy.deepcopy(doc)
    _first(changed)["title"] = {"nb": "Ny tittel"}
    with pytest.raises(ServiceError, match="vtest-install"):
        library_install(library=parse_library(changed))
    record = LibraryRecord.objects.get(version="test-install")
    assert record.definition == doc


def test_changed_v1_is_refused(db):
    doc = read_document()
    doc["recommendations"][0]["first_steps"].pop()
    with pytest.raises(ServiceError):
        library_install(library=parse_library(doc))
