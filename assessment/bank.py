"""Question banks: read a bank file, validate it, and hand out typed, immutable definitions.

A bank file (fixtures/bank/v1.yaml) is the single source of a bank's content. Installing it
stores the validated document on QuestionBank.definition and creates the rows that answers
point at; everything that renders or scores a bank goes through `Bank` below.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from assessment.register import AWARENESS_FACTS, FACTS
from assessment.scoring import (
    Audience,
    Band,
    BankSpec,
    Condition,
    DimensionSpec,
    Kind,
    QuestionSpec,
    RegisterItem,
    RoleGroup,
    ThemeSpec,
)
from content.documents import (
    DocumentError,
    DocumentReader,
    I18n,
    document_hash,
    merge_text,
    without_translations,
)

# Answer.value's column length (assessment/models.py).
ANSWER_MAX_LENGTH = 500
# Answering time per question, measured in the demo walks: reading a five-level scale takes
# longest; a comment box is optional but counted in full.
SECONDS_PER_KIND = {
    Kind.SCALE: 25,
    Kind.YESNO: 12,
    Kind.AWARENESS: 12,
    Kind.CHOICE: 20,
    Kind.NUMBER: 20,
    Kind.TEXT: 60,
}
INTRO_SECONDS = 60


class InvalidAnswer(ValueError):
    """An answer value a question does not accept; the message says why."""


class BankError(DocumentError):
    """A bank file that cannot be used; the message names the offending place."""


class _Reader(DocumentReader):
    error = BankError


def _merge(target: Any, extra: Any, where: str) -> None:
    merge_text(target, extra, where, BankError)


@dataclass(frozen=True)
class Choice:
    value: str
    label: I18n
    score: float | None


@dataclass(frozen=True)
class Question:
    key: str
    theme_key: str
    kind: Kind
    text: I18n
    help: I18n
    weight: float
    dont_know: bool
    audience: Audience
    condition: Condition | None
    source: str
    levels: tuple[I18n, ...]
    choices: tuple[Choice, ...]
    unit: I18n
    min: float | None
    max: float | None
    fact: str = ""  # AWARENESS only: the plan-register fact the answer is checked against
    # NUMBER only: whole numbers (a count of things), no decimals. None: the bank does not
    # say (every bank before the key existed); see asks_whole_number.
    whole: bool | None = None

    @property
    def scored(self) -> bool:
        return self.spec.scored

    @property
    def asks_whole_number(self) -> bool:
        """Whether the wizard asks for a whole number. A bank that says so (`whole`) is
        followed, and check_value then refuses decimals too. A bank that does not say
        (bank v1) gets whole-number input for a unit that counts things ("planer"), while
        check_value keeps accepting what that bank always accepted, so its rounds and
        answer files reproduce."""
        if self.whole is not None:
            return self.whole
        return self.kind is Kind.NUMBER and _counts_things(self.unit)

    @property
    def seconds(self) -> int:
        """A rough answering time, for the estimate each audience is told up front."""
        return SECONDS_PER_KIND[self.kind]

    def check_value(self, value: str) -> str:
        """The one rule for an answer to this question, used by the wizard's form, the
        service that saves answers and the answers file. Returns the value as stored;
        raises InvalidAnswer naming what is wrong."""
        if self.kind is Kind.NUMBER:
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation as exc:
                raise InvalidAnswer("expected a number") from exc
            if not number.is_finite():
                raise InvalidAnswer(f"expected a number, not {value!r}")
            if self.whole is True and number != number.to_integral_value():
                raise InvalidAnswer(f"expected a whole number, not {value!r}")
            if (self.min is not None and number < Decimal(str(self.min))) or (
                self.max is not None and number > Decimal(str(self.max))
            ):
                raise InvalidAnswer(f"{value} is out of range")
            return str(number)
        if self.kind is Kind.TEXT:
            if len(value) > ANSWER_MAX_LENGTH:
                raise InvalidAnswer(f"longer than {ANSWER_MAX_LENGTH} characters")
            return value
        allowed = list(self.spec.value_scores())
        if value not in allowed:
            raise InvalidAnswer(f"{value!r} is not one of {allowed}")
        return value

    @cached_property
    def spec(self) -> QuestionSpec:
        return QuestionSpec(
            key=self.key,
            kind=self.kind,
            weight=self.weight,
            audience=self.audience,
            condition=self.condition,
            choice_scores={c.value: c.score for c in self.choices},
            fact=self.fact,
        )


@dataclass(frozen=True)
class Theme:
    key: str
    dimension_key: str
    name: I18n
    intro: I18n
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Dimension:
    key: str
    name: I18n
    description: I18n
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class BandDef:
    key: str
    min: float
    label: I18n
    description: I18n


@dataclass(frozen=True)
class Bank:
    version: str
    title: I18n
    bands: tuple[BandDef, ...]
    dimensions: tuple[Dimension, ...]
    low_confidence_below: float
    role_gap_threshold: float
    split_threshold: float
    document: Mapping[str, Any]
    # Optional in a bank file (the defaults are bank v1's): the smallest role group whose
    # figures are shown (never below 2: see assessment/privacy.py), and how many themes a
    # report names as strengths and as development areas.
    min_group_size: int = 2
    strength_count: int = 3
    # Bank v2 on (see assessment/scoring.py): the method, the register facts per theme, and
    # which themes of an earlier version each theme compares with (trends, benchmarks).
    method: int = 1
    register: tuple[RegisterItem, ...] = ()
    register_weight: float = 1.0
    compares_with_version: str = ""
    compares_with: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def questions_for(self, role: RoleGroup) -> tuple[Question, ...]:
        return tuple(q for q in self.questions.values() if q.spec.asked_of(role))

    def estimated_minutes(self, role: RoleGroup) -> int:
        """Minutes a respondent of `role` is told to set aside (rounded up)."""
        seconds = INTRO_SECONDS + sum(q.seconds for q in self.questions_for(role))
        return -(-seconds // 60)

    def comparable_themes(self, other_version: str) -> Mapping[str, tuple[str, ...]]:
        """For each theme of this bank, the theme keys of `other_version` it compares with.
        Same version: every theme with itself. A version the bank declares no mapping for:
        the keys both share (a theme key keeps its meaning across versions)."""
        if other_version == self.version or other_version != self.compares_with_version:
            return {t.key: (t.key,) for t in self.themes}
        return {t.key: self.compares_with.get(t.key, ()) for t in self.themes}

    @cached_property
    def themes(self) -> tuple[Theme, ...]:
        return tuple(t for d in self.dimensions for t in d.themes)

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.key: q for t in self.themes for q in t.questions}

    def theme(self, key: str) -> Theme:
        return next(t for t in self.themes if t.key == key)

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    def band(self, key: str | None) -> BandDef | None:
        return next((b for b in self.bands if b.key == key), None)

    @cached_property
    def content_hash(self) -> str:
        """Hash of what the bank asks and how it scores: its structure and bokmål texts.
        Adding or correcting nynorsk and English translations does not change it."""
        return document_hash(without_translations(self.document))

    @cached_property
    def texts_hash(self) -> str:
        """Hash of the whole document, translations included."""
        return document_hash(self.document)

    @cached_property
    def spec(self) -> BankSpec:
        return BankSpec(
            version=self.version,
            dimensions=tuple(
                DimensionSpec(
                    key=d.key,
                    themes=tuple(
                        ThemeSpec(
                            key=t.key, weight=t.weight, questions=tuple(q.spec for q in t.questions)
                        )
                        for t in d.themes
                    ),
                )
                for d in self.dimensions
            ),
            bands=tuple(Band(key=b.key, min=b.min) for b in self.bands),
            low_confidence_below=self.low_confidence_below,
            role_gap_threshold=self.role_gap_threshold,
            split_threshold=self.split_threshold,
            min_group_size=self.min_group_size,
            method=self.method,
            register=self.register,
            register_weight=self.register_weight,
        )


# --- parsing -----------------------------------------------------------------------------


def _upward_closed(q: Question, values: frozenset[str]) -> bool:
    """True when every option scoring at least as high as a listed one is listed too."""
    scores = {v: s for v, s in q.spec.value_scores().items() if s is not None}
    listed = [scores[v] for v in values if v in scores]
    if not listed:
        return False
    lowest = min(listed)
    return all(v in values for v, s in scores.items() if s >= lowest)


# Units that count things: the wizard asks for a whole number for these when the bank does
# not say (Question.asks_whole_number). Bank v1 predates the `whole` key and a published bank
# never changes: its count of plans ("planer") is asked as a whole number this way, while its
# "årsverk" (FTEs, 0,3 of a post) keep decimals.
COUNTED_UNITS = frozenset({"planer", "plans", "planar", "personer", "people"})


def _counts_things(unit: I18n) -> bool:
    return any(str(text).strip().casefold() in COUNTED_UNITS for text in unit.values())


def _question(raw: Any, path: str, theme_key: str, earlier: Mapping[str, Question]) -> Question:
    r = _Reader(raw, path)
    key = r.str("key")
    try:
        kind = Kind(r.str("kind"))
    except ValueError as exc:
        raise BankError(f"{path}.kind: one of {[k.value for k in Kind]}") from exc
    try:
        audience = Audience(r.data.get("audience", "all"))
    except ValueError as exc:
        raise BankError(f"{path}.audience: one of {[a.value for a in Audience]}") from exc
    levels: tuple[I18n, ...] = ()
    if kind is Kind.SCALE:
        raw_levels = r.list("levels")
        if len(raw_levels) != 5:
            raise BankError(f"{path}.levels: a scale question needs exactly 5 level descriptors")
        levels = tuple(
            _Reader({"level": lv}, f"{path}.levels[{i}]").i18n("level")
            for i, lv in enumerate(raw_levels)
        )
    fact = ""
    if kind is Kind.AWARENESS:
        fact = r.str("fact")
        if fact not in AWARENESS_FACTS:
            raise BankError(f"{path}.fact: one of {list(AWARENESS_FACTS)}")
    choices: tuple[Choice, ...] = ()
    if kind is Kind.CHOICE:
        for i, raw_choice in enumerate(r.list("choices")):
            c = _Reader(raw_choice, f"{path}.choices[{i}]")
            score = c.opt_num("score")
            if score is not None and not 0 <= score <= 100:
                raise BankError(f"{c.path}.score: must be within 0-100")
            choices = (*choices, Choice(value=c.str("value"), label=c.i18n("label"), score=score))
    condition = None
    if r.data.get("condition") is not None:
        c = _Reader(r.data["condition"], f"{path}.condition")
        parent_key = c.str("question")
        parent = earlier.get(parent_key)
        if parent is None:
            raise BankError(f"{c.path}.question: {parent_key!r} is not an earlier question")
        values = frozenset(str(v) for v in c.list("in"))
        condition = Condition(question=parent_key, values=values)
        if parent.kind is Kind.AWARENESS:
            raise BankError(f"{c.path}.question: an awareness question cannot be a condition")
        if parent.scored and not _upward_closed(parent, values):
            raise BankError(
                f"{c.path}.in: must list every answer at least as good as the lowest one listed"
            )
    unit = r.i18n("unit", required=False)
    whole = r.data.get("whole")
    if whole is not None and (kind is not Kind.NUMBER or not isinstance(whole, bool)):
        raise BankError(f"{path}.whole: true or false, on a number question only")
    question = Question(
        key=key,
        theme_key=theme_key,
        kind=kind,
        text=r.i18n("text"),
        help=r.i18n("help", required=False),
        weight=r.num("weight", 1.0),
        dont_know=bool(r.data.get("dont_know", True)),
        audience=audience,
        condition=condition,
        source=r.str("source"),
        levels=levels,
        choices=choices,
        unit=unit,
        min=r.opt_num("min"),
        max=r.opt_num("max"),
        fact=fact,
        whole=whole,
    )
    if question.weight <= 0:
        raise BankError(f"{path}.weight: must be positive")
    return question


def parse_bank(document: Mapping[str, Any], *, source_keys: set[str] | None = None) -> Bank:
    """Validate a bank document and return it as a `Bank`. Raises BankError on any fault."""
    r = _Reader(document, "bank")
    seen: dict[str, Question] = {}
    theme_keys: set[str] = set()
    dimensions: list[Dimension] = []
    for di, raw_dim in enumerate(r.list("dimensions")):
        d = _Reader(raw_dim, f"dimensions[{di}]")
        dim_key = d.str("key")
        themes: list[Theme] = []
        for ti, raw_theme in enumerate(d.list("themes")):
            t = _Reader(raw_theme, f"{d.path}.themes[{ti}]")
            theme_key = t.str("key")
            if theme_key in theme_keys:
                raise BankError(f"{t.path}.key: duplicate theme key {theme_key!r}")
            theme_keys.add(theme_key)
            questions: list[Question] = []
            for qi, raw_q in enumerate(t.list("questions")):
                q = _question(raw_q, f"{t.path}.questions[{qi}]", theme_key, seen)
                if q.key in seen:
                    raise BankError(f"{t.path}.questions[{qi}].key: duplicate key {q.key!r}")
                if source_keys is not None and q.source not in source_keys:
                    raise BankError(f"{t.path}.questions[{qi}].source: unknown {q.source!r}")
                seen[q.key] = q
                questions.append(q)
            weight = t.num("weight", 1.0)
            if weight <= 0:
                raise BankError(f"{t.path}.weight: must be positive")
            themes.append(
                Theme(
                    key=theme_key,
                    dimension_key=dim_key,
                    name=t.i18n("name"),
                    intro=t.i18n("intro", required=False),
                    weight=weight,
                    questions=tuple(questions),
                )
            )
        dimensions.append(
            Dimension(
                key=dim_key,
                name=d.i18n("name"),
                description=d.i18n("description", required=False),
                themes=tuple(themes),
            )
        )
    bands = tuple(
        BandDef(
            key=b.str("key"),
            min=b.num("min"),
            label=b.i18n("label"),
            description=b.i18n("description", required=False),
        )
        for b in (_Reader(raw, f"bands[{i}]") for i, raw in enumerate(r.list("bands")))
    )
    if sorted(b.min for b in bands) != [b.min for b in bands] or bands[0].min != 0:
        raise BankError("bands: must ascend by 'min' and start at 0")
    method = _whole(r, "method", 1, least=1)
    if method > 2:
        raise BankError("bank.method: 1 or 2")
    register = _register(r, theme_keys, method)
    compares_version, compares = _compares_with(r, theme_keys)
    return Bank(
        version=str(r.req("version")),
        title=r.i18n("title"),
        bands=bands,
        dimensions=tuple(dimensions),
        low_confidence_below=r.num("low_confidence_below", 0.7),
        role_gap_threshold=r.num("role_gap_threshold", 20.0),
        split_threshold=r.num("split_threshold", 25.0),
        document=document,
        min_group_size=_min_group_size(r),
        strength_count=_whole(r, "strength_count", 3, least=1),
        method=method,
        register=register,
        register_weight=r.num("register_weight", 1.0),
        compares_with_version=compares_version,
        compares_with=compares,
    )


def _register(r: DocumentReader, theme_keys: set[str], method: int) -> tuple[RegisterItem, ...]:
    raw_items = r.data.get("register") or []
    if raw_items and method < 2:
        raise BankError("bank.register: the plan register needs method 2")
    items: list[RegisterItem] = []
    for i, raw in enumerate(raw_items):
        item = _Reader(raw, f"register[{i}]")
        fact, theme = item.str("fact"), item.str("theme")
        if fact not in FACTS:
            raise BankError(f"{item.path}.fact: one of {list(FACTS)}")
        if fact in {x.fact for x in items}:
            raise BankError(f"{item.path}.fact: {fact!r} is listed twice")
        if theme not in theme_keys:
            raise BankError(f"{item.path}.theme: unknown theme {theme!r}")
        weight = item.num("weight", 1.0)
        if weight <= 0:
            raise BankError(f"{item.path}.weight: must be positive")
        items.append(RegisterItem(fact=fact, theme=theme, weight=weight))
    return tuple(items)


def _compares_with(
    r: DocumentReader, theme_keys: set[str]
) -> tuple[str, dict[str, tuple[str, ...]]]:
    raw = r.data.get("compares_with")
    if raw is None:
        return "", {}
    c = _Reader(raw, "compares_with")
    version = str(c.req("version"))
    themes = c.data.get("themes") or {}
    if not isinstance(themes, Mapping):
        raise BankError("compares_with.themes: a mapping of theme key to a list of keys")
    unknown = set(themes) - theme_keys
    if unknown:
        raise BankError(f"compares_with.themes: unknown themes {sorted(unknown)}")
    mapping = {}
    for key, olds in themes.items():
        if not isinstance(olds, list) or not all(isinstance(o, str) for o in olds):
            raise BankError(f"compares_with.themes.{key}: a list of theme keys")
        mapping[str(key)] = tuple(olds)
    return version, mapping


def _whole(r: DocumentReader, key: str, default: int, *, least: int) -> int:
    value = r.num(key, float(default))
    if value != int(value) or value < least:
        raise BankError(f"bank.{key}: a whole number of at least {least}")
    return int(value)


def _min_group_size(r: DocumentReader) -> int:
    # A bank may ask for larger groups, never for figures from one person.
    return _whole(r, "min_group_size", 2, least=2)


def read_bank_file(path: Path, *, source_keys: set[str] | None = None) -> Bank:
    """Read a bank file and, if present beside it, its translations (v1.translations.yaml)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        overlay_path = path.with_name(f"{path.stem}.translations.yaml")
        if overlay_path.exists():
            document = translated_bank(document, yaml.safe_load(overlay_path.read_text("utf-8")))
    except yaml.YAMLError as exc:
        raise BankError(f"{path}: not valid YAML ({exc})") from exc
    return parse_bank(document, source_keys=source_keys)


def translated_bank(document: dict, overlay: Mapping[str, Any]) -> dict:
    """The bank document with the translations file merged in (keys must all exist)."""
    doc = json.loads(json.dumps(document))  # a deep copy; the file's document stays as read
    if "title" in overlay:
        _merge(doc["title"], overlay["title"], "title")
    bands = {b["key"]: b for b in doc["bands"]}
    dims = {d["key"]: d for d in doc["dimensions"]}
    themes = {t["key"]: t for d in doc["dimensions"] for t in d["themes"]}
    questions = {q["key"]: q for t in themes.values() for q in t["questions"]}
    for group, items in (("bands", bands), ("dimensions", dims), ("themes", themes)):
        for key, fields in (overlay.get(group) or {}).items():
            if key not in items:
                raise BankError(f"translations.{group}.{key}: no such key in the bank")
            for name, text in fields.items():
                _merge(items[key].get(name), text, f"translations.{group}.{key}.{name}")
    for key, fields in (overlay.get("questions") or {}).items():
        if key not in questions:
            raise BankError(f"translations.questions.{key}: no such question")
        q = questions[key]
        where = f"translations.questions.{key}"
        for name, text in fields.items():
            if name == "levels":
                expected = len(q.get("levels", []))
                if len(text) != expected:
                    raise BankError(f"{where}.levels: {len(text)} levels, the bank has {expected}")
                for i, level in enumerate(text):
                    _merge(q["levels"][i], level, f"{where}.levels[{i}]")
            elif name == "choices":
                by_value = {str(c["value"]): c for c in q.get("choices", [])}
                for value, label in text.items():
                    if str(value) not in by_value:
                        raise BankError(f"{where}.choices.{value}: no such choice")
                    _merge(by_value[str(value)]["label"], label, f"{where}.choices.{value}")
            else:
                _merge(q.get(name), text, f"{where}.{name}")
    return doc
