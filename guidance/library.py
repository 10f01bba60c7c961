"""The recommendation library: read fixtures/library/*.yaml into typed, immutable definitions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from assessment import register
from assessment.bank import Bank
from content.documents import (
    DocumentError,
    DocumentReader,
    I18n,
    document_hash,
    merge_text,
    without_translations,
)
from guidance.matching import Condition, RecommendationSpec, RuleSpec

WHO = ("council", "mayor", "chief_executive", "planner", "organisation")
EFFORTS = ("small", "medium", "large")
APPROACHES = ("ready_made", "tailored")


class LibraryError(DocumentError):
    """A library file that cannot be used; the message names the offending place."""


class _Reader(DocumentReader):
    error = LibraryError


@dataclass(frozen=True)
class Rule:
    condition: Condition
    priority: int
    reason: I18n


@dataclass(frozen=True)
class Recommendation:
    key: str
    advice_item: int | None
    title: I18n
    finding: I18n
    why: I18n
    first_steps: tuple[I18n, ...]
    who: tuple[str, ...]
    effort: str
    approach: str
    sources: tuple[str, ...]
    examples: tuple[str, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Example:
    key: str
    title: I18n
    municipality: str
    summary: I18n
    topics: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Library:
    version: str
    recommendations: tuple[Recommendation, ...]
    examples: Mapping[str, Example]
    strengths: Mapping[str, I18n]  # dimension key -> text
    document: Mapping[str, Any]

    @cached_property
    def by_key(self) -> dict[str, Recommendation]:
        return {r.key: r for r in self.recommendations}

    @cached_property
    def specs(self) -> tuple[RecommendationSpec, ...]:
        return tuple(
            RecommendationSpec(
                key=r.key,
                rules=tuple(RuleSpec(condition=u.condition, priority=u.priority) for u in r.rules),
                advice_item=r.advice_item,
            )
            for r in self.recommendations
        )

    @cached_property
    def content_hash(self) -> str:
        """Structure, rules and bokmål texts; translations may be added to a version."""
        return document_hash(without_translations(self.document))

    @cached_property
    def texts_hash(self) -> str:
        return document_hash(self.document)


def _condition(raw: Any, path: str, bank: Bank | None) -> Condition:
    r = _Reader(raw, path)
    data = r.data

    def check(kind: str, key: str, known: set[str]) -> None:
        if bank is not None and key not in known:
            raise LibraryError(f"{path}.{kind}: unknown {kind} {key!r}")

    themes = {t.key for t in bank.themes} if bank else set()
    if "all" in data:
        children = data["all"]
        if not isinstance(children, list) or not children:
            raise LibraryError(f"{path}.all: expected a non-empty list")
        return Condition(
            kind="all",
            children=tuple(_condition(c, f"{path}.all[{i}]", bank) for i, c in enumerate(children)),
        )
    for kind in ("theme", "dimension"):
        if kind in data:
            key = r.str(kind)
            known = (
                themes if kind == "theme" else {d.key for d in bank.dimensions} if bank else set()
            )
            check(kind, key, known)
            below, above = r.opt_num("below"), r.opt_num("above")
            if below is None and above is None:
                raise LibraryError(f"{path}: needs 'below' or 'above'")
            return Condition(kind=kind, key=key, below=below, above=above)
    if "answer" in data:
        key = r.str("answer")
        check("answer", key, set(bank.questions) if bank else set())
        values = frozenset(str(v) for v in r.list("in"))
        if bank is not None:
            # Unquoted YAML `no` is the boolean False; catch it here, not as a silent non-match.
            options = set(bank.questions[key].spec.value_scores())
            if values - options:
                raise LibraryError(
                    f"{path}.in: {sorted(values - options)} not among {sorted(options)}"
                )
        return Condition(kind="answer", key=key, values=values)
    if "register" in data:
        key = r.str("register")
        if key not in register.FACTS:
            raise LibraryError(f"{path}.register: one of {list(register.FACTS)}")
        if bank is not None and key not in {item.fact for item in bank.register}:
            raise LibraryError(f"{path}.register: {key!r} scores in no theme of this bank")
        statuses = frozenset(str(v) for v in r.list("status"))
        unknown = statuses - {s.value for s in register.Status}
        if unknown:
            raise LibraryError(f"{path}.status: unknown {sorted(unknown)}")
        return Condition(kind="register", key=key, values=statuses)
    if "gap" in data:
        key = r.str("gap")
        check("gap", key, themes)
        return Condition(kind="gap", key=key, above=r.num("above"))
    if "any_gap_above" in data:
        return Condition(kind="any_gap", above=r.num("any_gap_above"))
    if "completeness" in data:
        direction = r.str("completeness")
        if direction not in ("below", "above"):
            raise LibraryError(f"{path}.completeness: 'below' or 'above'")
        value = r.num("value")
        return Condition(
            kind="completeness",
            below=value if direction == "below" else None,
            above=value if direction == "above" else None,
        )
    raise LibraryError(f"{path}: unknown condition {sorted(data)}")


def _choice(r: _Reader, key: str, allowed: tuple[str, ...]) -> str:
    value = r.str(key)
    if value not in allowed:
        raise LibraryError(f"{r.path}.{key}: one of {list(allowed)}")
    return value


def parse_library(
    document: Mapping[str, Any], *, bank: Bank | None = None, source_keys: set[str] | None = None
) -> Library:
    """Validate a library document. With `bank`, every theme, dimension and question key in
    the rules must exist in it; with `source_keys`, every source must be known."""
    root = _Reader(document, "library")
    examples: dict[str, Example] = {}
    for i, raw in enumerate(root.list("examples")):
        e = _Reader(raw, f"examples[{i}]")
        example = Example(
            key=e.str("key"),
            title=e.i18n("title"),
            municipality=e.str("municipality"),
            summary=e.i18n("summary"),
            topics=tuple(e.data.get("topics") or ()),
            sources=tuple(e.data.get("sources") or ()),
        )
        examples[example.key] = example

    recommendations: list[Recommendation] = []
    seen: set[str] = set()
    for i, raw in enumerate(root.list("recommendations")):
        r = _Reader(raw, f"recommendations[{i}]")
        key = r.str("key")
        if key in seen:
            raise LibraryError(f"{r.path}.key: duplicate {key!r}")
        seen.add(key)
        steps = r.list("first_steps")
        if not 3 <= len(steps) <= 5:
            raise LibraryError(f"{r.path}.first_steps: 3 to 5 steps, not {len(steps)}")
        who = tuple(r.list("who"))
        if set(who) - set(WHO):
            raise LibraryError(f"{r.path}.who: unknown {sorted(set(who) - set(WHO))}")
        sources = tuple(r.list("sources"))
        if source_keys is not None and set(sources) - source_keys:
            raise LibraryError(f"{r.path}.sources: unknown {sorted(set(sources) - source_keys)}")
        linked = tuple(r.data.get("examples") or ())
        if set(linked) - set(examples):
            raise LibraryError(f"{r.path}.examples: unknown {sorted(set(linked) - set(examples))}")
        rules = []
        for j, raw_rule in enumerate(r.list("rules")):
            u = _Reader(raw_rule, f"{r.path}.rules[{j}]")
            rules.append(
                Rule(
                    condition=_condition(u.req("when"), f"{u.path}.when", bank),
                    priority=int(u.num("priority")),
                    reason=u.i18n("reason"),
                )
            )
        advice = r.data.get("advice_item")
        if advice is not None and advice not in range(1, 8):
            raise LibraryError(f"{r.path}.advice_item: 1-7 or null")
        recommendations.append(
            Recommendation(
                key=key,
                advice_item=advice,
                title=r.i18n("title"),
                finding=r.i18n("finding"),
                why=r.i18n("why"),
                first_steps=tuple(
                    _Reader({"step": s}, f"{r.path}.first_steps[{k}]").i18n("step")
                    for k, s in enumerate(steps)
                ),
                who=who,
                effort=_choice(r, "effort", EFFORTS),
                approach=_choice(r, "approach", APPROACHES),
                sources=sources,
                examples=linked,
                rules=tuple(rules),
            )
        )
    strengths = {}
    for i, raw in enumerate(document.get("strengths") or []):
        s = _Reader(raw, f"strengths[{i}]")
        strengths[s.str("dimension")] = s.i18n("text")
    return Library(
        version=str(root.req("version")),
        recommendations=tuple(recommendations),
        examples=examples,
        strengths=strengths,
        document=document,
    )


def translated_library(document: dict, overlay: Mapping[str, Any]) -> dict:
    """The library document with a translations file merged in (keys must all exist)."""
    doc = json.loads(json.dumps(document))  # deep copy
    recs = {r["key"]: r for r in doc["recommendations"]}
    for key, fields in (overlay.get("recommendations") or {}).items():
        if key not in recs:
            raise LibraryError(f"translations.recommendations.{key}: no such recommendation")
        rec = recs[key]
        where = f"translations.recommendations.{key}"
        for name, text in fields.items():
            if name in ("first_steps", "rules"):
                if len(text) != len(rec[name]):
                    raise LibraryError(
                        f"{where}.{name}: {len(text)} items, the library has {len(rec[name])}"
                    )
                for i, item in enumerate(text):
                    if name == "first_steps":
                        merge_text(rec[name][i], item, f"{where}.{name}[{i}]", LibraryError)
                    else:
                        merge_text(
                            rec[name][i]["reason"],
                            item["reason"],
                            f"{where}.rules[{i}]",
                            LibraryError,
                        )
            else:
                merge_text(rec.get(name), text, f"{where}.{name}", LibraryError)
    examples = {e["key"]: e for e in doc["examples"]}
    for key, fields in (overlay.get("examples") or {}).items():
        if key not in examples:
            raise LibraryError(f"translations.examples.{key}: no such example")
        for name, text in fields.items():
            merge_text(
                examples[key].get(name), text, f"translations.examples.{key}.{name}", LibraryError
            )
    strengths = {s["dimension"]: s for s in doc.get("strengths") or []}
    for key, fields in (overlay.get("strengths") or {}).items():
        if key not in strengths:
            raise LibraryError(f"translations.strengths.{key}: no such dimension")
        merge_text(
            strengths[key]["text"], fields["text"], f"translations.strengths.{key}", LibraryError
        )
    return doc


def read_library_file(path: Path) -> dict:
    """A library document with every translations file beside it merged in
    (v1.translations*.yaml, so translators can work on separate parts)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for overlay_path in sorted(path.parent.glob(f"{path.stem}.translations*.yaml")):
        document = translated_library(document, yaml.safe_load(overlay_path.read_text("utf-8")))
    return document
