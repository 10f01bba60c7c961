"""Read an answers file (docs/answers-format.md) into scoring Responses, with precise errors.

Files come from other systems and from people's editors, so everything that could end in a
traceback is turned into an AnswersFileError naming the problem: bytes that are not UTF-8,
NaN or Infinity, lone surrogates, NUL characters, duplicate keys (which JSON and YAML readers
otherwise settle silently, the last one winning), deep nesting and YAML aliases.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, cast

import yaml

from assessment import register
from assessment.bank import Bank, InvalidAnswer
from assessment.scoring import Answer, Kind, Response, RoleGroup

FORMAT_VERSION = 1
YAML_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 10 * 1024 * 1024
# The format itself is four levels deep (respondents, a respondent, answers, an answer).
MAX_DEPTH = 10
MAX_VALUES = 500_000


class AnswersFileError(ValueError):
    """A problem with the file; the message names the offending key."""


def read_answers_file(path: Path) -> dict[str, Any]:
    """The file's content, checked; JSON, or YAML when the name ends in .yaml or .yml."""
    text = _read_text(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        data = _load_yaml(path, text)
    else:
        data = _load_json(path, text)
    _check_tree(data, "top level", 0, [0])
    if not isinstance(data, dict):
        raise AnswersFileError("top level: expected an object")
    for key in ("municipality", "bank_version", "respondents"):
        if key not in data:
            raise AnswersFileError(f"'{key}': missing")
    for key in ("municipality", "bank_version"):
        if not isinstance(data[key], str | int) or isinstance(data[key], bool):
            raise AnswersFileError(f"'{key}': expected text, like \"1815\"")
    return data


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AnswersFileError(
                f"{path}: {size:,} bytes; an answers file has at most {MAX_BYTES:,}"
            )
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise AnswersFileError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise AnswersFileError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        raise AnswersFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        return raw.decode("utf-8-sig")  # a byte order mark from Windows editors is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnswersFileError(
            f"{path}: not valid UTF-8 (line {line}: byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from exc


class _Object(dict):
    """A JSON object or YAML mapping, remembering keys that appeared more than once."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[Any] = []


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object()
    for key, value in pairs:
        if key in result:
            result.duplicates.append(key)
        result[key] = value
    return result


def _load_json(path: Path, text: str) -> Any:
    try:
        # NaN, Infinity and 1e999 come through as floats; _check_tree names where they are.
        return json.loads(text, object_pairs_hook=_object_from_pairs)
    except json.JSONDecodeError as exc:
        raise AnswersFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise AnswersFileError(f"{path}: nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise AnswersFileError(f"{path}: a number is too long ({exc})") from exc


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML, strict: no aliases, duplicate keys recorded, only true/false as booleans
    (so yes and no stay the answers "yes" and "no")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in an answers file", mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _YamlLoader, node: yaml.MappingNode) -> _Object:
    loader.flatten_mapping(node)
    result = _Object()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be text or a number", key_node.start_mark
            ) from exc
        if key in result:
            result.duplicates.append(key)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_YamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _load_yaml(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_YamlLoader)  # nosec B506 # _YamlLoader is a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise AnswersFileError(f"{path}: not valid YAML ({where}{exc.problem})") from exc
    except yaml.YAMLError as exc:
        raise AnswersFileError(f"{path}: not valid YAML ({exc})") from exc
    except RecursionError as exc:
        raise AnswersFileError(f"{path}: nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise AnswersFileError(f"{path}: a number is too long ({exc})") from exc


def _shown(key: Any) -> str:
    """A key as it can be printed in a message (control characters and surrogates escaped)."""
    text = str(key)
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _child(where: str, key: Any) -> str:
    return _shown(key) if where == "top level" else f"{where}.{_shown(key)}"


def _check_tree(node: Any, where: str, depth: int, counter: list[int]) -> None:
    """Refuse what no answers file needs and the rest of the code should never see."""
    counter[0] += 1
    if counter[0] > MAX_VALUES:
        raise AnswersFileError(f"top level: more than {MAX_VALUES:,} values")
    if depth > MAX_DEPTH:
        raise AnswersFileError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, dict):
        duplicates = getattr(node, "duplicates", [])
        if duplicates:
            raise AnswersFileError(
                f"{where}: duplicate key {_shown(duplicates[0])!r} (each key may appear once)"
            )
        for key, value in node.items():
            if isinstance(key, str):
                _check_text(key, f"{where}: key {_shown(key)!r}")
            _check_tree(value, _child(where, key), depth + 1, counter)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_tree(value, f"{where}[{index}]", depth + 1, counter)
    elif isinstance(node, float) and not math.isfinite(node):
        raise AnswersFileError(f"{where}: {node} is not a number an answers file may hold")
    elif isinstance(node, str):
        _check_text(node, where)


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise AnswersFileError(f"{where}: contains a NUL character (\\u0000)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AnswersFileError(
            f"{where}: contains a lone surrogate ({_shown(text[exc.start])}), which is not "
            "a Unicode character"
        ) from exc


def _answer(bank: Bank, where: str, key: str, raw: Any) -> Answer:
    question = bank.questions.get(key)
    if question is None:
        raise AnswersFileError(f"{where}.answers.{key}: no such question in bank v{bank.version}")
    if raw == "dont_know":
        if not question.dont_know:
            raise AnswersFileError(f"{where}.answers.{key}: this question has no “don't know”")
        return Answer(dont_know=True)
    if question.kind is not Kind.TEXT and isinstance(raw, bool | list | dict):
        raise AnswersFileError(f"{where}.answers.{key}: {raw!r} is not an answer")
    try:
        return Answer(value=question.check_value(str(raw)))
    except InvalidAnswer as exc:
        raise AnswersFileError(f"{where}.answers.{key}: {exc}") from exc


def responses_from(bank: Bank, data: Mapping[str, Any]) -> list[Response]:
    respondents = data["respondents"]
    if not isinstance(respondents, list) or not respondents:
        raise AnswersFileError("'respondents': expected a non-empty list")
    responses = []
    for index, entry in enumerate(respondents):
        where = f"respondents[{index}]"
        if not isinstance(entry, dict):
            raise AnswersFileError(f"{where}: expected an object")
        try:
            # Untyped JSON: a missing or unknown role raises ValueError, reported below.
            role = RoleGroup(cast(str, entry.get("role")))
        except ValueError as exc:
            roles = [r.value for r in RoleGroup]
            raise AnswersFileError(f"{where}.role: expected one of {roles}") from exc
        answers = entry.get("answers")
        if not isinstance(answers, dict):
            raise AnswersFileError(f"{where}.answers: expected an object of question keys")
        responses.append(
            Response(
                role=role,
                answers={key: _answer(bank, where, key, raw) for key, raw in answers.items()},
            )
        )
    return responses


_DATE_FACTS = ("strategy_adopted", "delegation_adopted")
_PLAN_PARTS = ("community_part", "land_use_part")
_CHOICES = {
    "action_part": ("merged", "linked", "separate", "none"),
    "planning_cooperation": ("shared_office", "other", "none"),
}


def _date(where: str, raw: Any) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise AnswersFileError(f'{where}: expected a date like "2024-03-14"') from exc


def _register(raw: Any) -> register.Register:
    if not isinstance(raw, Mapping):
        raise AnswersFileError("'register': expected an object")
    unknown = set(raw) - {*register.FACTS, "council_constituted"}
    if unknown:
        raise AnswersFileError(f"'register': unknown facts {sorted(map(str, unknown))}")
    values: dict[str, Any] = {}
    for fact in _DATE_FACTS:
        if fact in raw:
            prefix = "strategy" if fact == "strategy_adopted" else "delegation"
            if raw[fact] == "missing":
                values[f"{prefix}_missing"] = True
            else:
                values[fact] = _date(f"'register.{fact}'", raw[fact])
    for fact in _PLAN_PARTS:
        if fact in raw:
            if raw[fact] in ("kept", "missing"):
                values[f"{fact}_{raw[fact]}"] = True
            else:
                values[fact] = _date(f"'register.{fact}'", raw[fact])
    for fact, allowed in _CHOICES.items():
        if fact in raw:
            if raw[fact] not in allowed:
                raise AnswersFileError(f"'register.{fact}': one of {list(allowed)}")
            values[fact] = raw[fact]
    if "youth_council" in raw:
        if not isinstance(raw["youth_council"], bool):
            raise AnswersFileError("'register.youth_council': true or false")
        values["youth_council"] = raw["youth_council"]
    if "plan_count" in raw:
        count = raw["plan_count"]
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 1000:
            raise AnswersFileError("'register.plan_count': a whole number from 0 to 1000")
        values["plan_count"] = count
    return register.Register(**values)


def register_facts_from(bank: Bank, data: Mapping[str, Any]) -> dict[str, register.FactResult]:
    """The plan register of a bank-v2 answers file (`period`, `date`, `register`; see
    docs/answers-format.md), as it stands on `date` (default today). A v1 file has none."""
    if bank.method < 2 or "register" not in data:
        return {}
    period = data.get("period")
    term = register.term_of(str(period)) if isinstance(period, str | int) else None
    if term is None:
        raise AnswersFileError("'period': the election term, like \"2023-2027\"")
    raw = data["register"]
    if isinstance(raw, Mapping) and "council_constituted" in raw:
        constituted = _date("'register.council_constituted'", raw["council_constituted"])
        term = register.Term(first_year=term.first_year, constituted=constituted)
    today = _date("'date'", data["date"]) if "date" in data else date.today()
    return register.evaluate(_register(raw), term, today)
