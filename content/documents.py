"""Content documents: reading and validating the YAML files the product's content lives in
(question banks, the recommendation library, sources), translation overlays, and the
per-process parse cache. The bottom layer: imports nothing from the apps above it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

LANGUAGES = ("nb", "nn", "en")
T = TypeVar("T")
I18n = Mapping[str, str]

if TYPE_CHECKING:
    import builtins  # DocumentReader.str shadows the builtin inside the class body


class DocumentError(ValueError):
    """A content document that cannot be used; the message names the offending place."""


_PARSED: dict[tuple[Any, ...], Any] = {}


def parse_once(key: tuple[Any, ...], parse: Callable[[], T]) -> T:
    """Parse a stored document once per process. Keys carry the document's texts hash:
    published versions change only by added translations, which change that hash."""
    if key not in _PARSED:
        _PARSED[key] = parse()
    return _PARSED[key]


def document_hash(document: Any) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def without_translations(node: Any) -> Any:
    """The document with every nynorsk and English text removed (bokmål is the master)."""
    if isinstance(node, Mapping):
        is_text = "nb" in node and all(k in LANGUAGES for k in node)
        return {k: without_translations(v) for k, v in node.items() if not (is_text and k != "nb")}
    if isinstance(node, list):
        return [without_translations(v) for v in node]
    return node


class DocumentReader:
    """Reads one mapping of a YAML document, naming its path in every error.

    Shared by the question bank (assessment/bank.py) and the recommendation library
    (guidance/library.py), each with its own error type."""

    error: type[ValueError] = DocumentError

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise self.error(f"{path}: expected a mapping")
        self.data = data
        self.path = path

    def sub(self, data: Any, path: str) -> DocumentReader:
        return type(self)(data, path)

    def req(self, key: str) -> Any:
        if key not in self.data or self.data[key] is None:
            raise self.error(f"{self.path}.{key}: missing")
        return self.data[key]

    def str(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default) if default is not None else self.req(key)
        if not isinstance(value, str) or not value:
            raise self.error(f"{self.path}.{key}: expected text")
        return value

    def num(self, key: builtins.str, default: float | None = None) -> float:
        value = self.data.get(key, default) if default is not None else self.req(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{self.path}.{key}: expected a number")
        return float(value)

    def opt_num(self, key: builtins.str) -> float | None:
        return None if self.data.get(key) is None else self.num(key)

    def i18n(self, key: builtins.str, *, required: bool = True) -> I18n:
        value = self.data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping) or not str(value.get("nb") or "").strip():
            raise self.error(f"{self.path}.{key}: expected a mapping with at least 'nb' text")
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise self.error(f"{self.path}.{key}: unknown language(s) {sorted(unknown)}")
        return dict(value)

    def list(self, key: builtins.str) -> list[Any]:
        value = self.req(key)
        if not isinstance(value, list) or not value:
            raise self.error(f"{self.path}.{key}: expected a non-empty list")
        return value


def merge_text(
    target: Any, extra: Any, where: str, error: type[ValueError] = DocumentError
) -> None:
    """Add nn/en (never nb) from `extra` into the text mapping `target`, in place."""
    if not isinstance(target, dict) or "nb" not in target:
        raise error(f"{where}: no bokmål text to translate")
    if not isinstance(extra, Mapping):
        raise error(f"{where}: expected a mapping of languages")
    for language, text in extra.items():
        if language not in ("nn", "en"):
            raise error(f"{where}: translations may only add nn or en, not {language!r}")
        target[language] = text


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
