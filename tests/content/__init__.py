"""Helpers for the content tests: every text a reader sees, gathered from the files it lives in.

The tests here read files only (no database), so they can be re-run quickly after content
changes: `pytest tests/content`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "fixtures"


def content_files(folder: str) -> list[Path]:
    """Every version of a content document (bank, library), translation files included."""
    return sorted((FIXTURES / folder).glob("v*.yaml"))


def yaml_strings(node: Any) -> Iterator[str]:
    """Every string value in a YAML document (keys and markup left out)."""
    if isinstance(node, dict):
        for value in node.values():
            yield from yaml_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from yaml_strings(value)
    elif isinstance(node, str):
        yield node


def yaml_texts(path: Path) -> list[str]:
    return list(yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))


_TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
_BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
_TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)


def template_texts(path: Path) -> list[str]:
    """The texts of a template: each translatable string, and the plain text between tags."""
    source = path.read_text(encoding="utf-8")
    texts = [m.group(2) for m in _TRANSLATE.finditer(source)]
    texts += [_TEMPLATE_SYNTAX.sub(" ", m.group(1)) for m in _BLOCK.finditer(source)]
    rest = _BLOCK.sub("\n", _TRANSLATE.sub("\n", source))
    rest = _HTML_TAG.sub("\n", _TEMPLATE_SYNTAX.sub("\n", rest))
    texts += [chunk for chunk in re.split(r"\n\s*\n", rest) if chunk.strip()]
    return texts


def template_files() -> list[Path]:
    folder = REPO_ROOT / "templates"
    return sorted(p for p in folder.rglob("*") if p.suffix in {".html", ".txt"})


def po_translations(path: Path) -> list[str]:
    """The translated strings (msgstr) of a gettext catalogue: the templates' nb, nn and en text."""
    texts: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            if current:
                texts.append("".join(current))
            current = [ast.literal_eval(line.split(" ", 1)[1])]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            if current:
                texts.append("".join(current))
            current = None
    if current:
        texts.append("".join(current))
    return [text for text in texts if text.strip()]


def po_files() -> list[Path]:
    return sorted((REPO_ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
