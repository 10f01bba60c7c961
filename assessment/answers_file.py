"""Read an answers file (docs/answers-format.md) into scoring Responses, with precise errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from assessment.bank import Bank
from assessment.scoring import Answer, Kind, Response, RoleGroup

FORMAT_VERSION = 1


class AnswersFileError(ValueError):
    """A problem with the file; the message names the offending key."""


def read_answers_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AnswersFileError(f"{path}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise AnswersFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict):
        raise AnswersFileError("top level: expected an object")
    for key in ("municipality", "bank_version", "respondents"):
        if key not in data:
            raise AnswersFileError(f"'{key}': missing")
    return data


def _answer(bank: Bank, where: str, key: str, raw: Any) -> Answer:
    question = bank.questions.get(key)
    if question is None:
        raise AnswersFileError(f"{where}.answers.{key}: no such question in bank v{bank.version}")
    if raw == "dont_know":
        if not question.dont_know:
            raise AnswersFileError(f"{where}.answers.{key}: this question has no “don't know”")
        return Answer(dont_know=True)
    if question.kind is Kind.NUMBER:
        try:
            number = Decimal(str(raw))
        except InvalidOperation as exc:
            raise AnswersFileError(f"{where}.answers.{key}: expected a number") from exc
        if (question.min is not None and number < Decimal(str(question.min))) or (
            question.max is not None and number > Decimal(str(question.max))
        ):
            raise AnswersFileError(f"{where}.answers.{key}: {raw} is out of range")
        return Answer(value=str(number))
    if question.kind is Kind.TEXT:
        return Answer(value=str(raw))
    value = str(raw)
    allowed = list(question.spec.value_scores())
    if value not in allowed:
        raise AnswersFileError(f"{where}.answers.{key}: {raw!r} is not one of {allowed}")
    return Answer(value=value)


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
            role = RoleGroup(entry.get("role"))
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
