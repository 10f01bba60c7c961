"""One form of each word pair in nynorsk, one term for each thing in English (issue 13, "Language").

Checked: every nn and en text of question bank v2 and library v2 (with their translation files
merged in) and every nn and en msgstr of the gettext catalogues. The published v1 files are frozen
and are not checked. A hit is printed with where it is (the path in the document, or the msgid).

Chosen nynorsk forms: gi/gir/gitt, vart, "den" as the pronoun for masculine nouns that are things,
planleggar, namngitt, behandla/behandling, valløfte.

Chosen English terms: "plan culture" (the dimension is "Plan culture and planning awareness"),
"steering tool", "case documents" (saksframlegg, saksdokument), "the county governor
(statsforvalter)" on first mention and "the county governor" after it, "hosted gathering
(gjestebud)", "has firm backing" (forankret), "part-time positions". The parts of the municipal
master plan are the "community part" (samfunnsdelen) and the "land-use part" (arealdelen): the
terms of the project brief (../shared/domain/brief.md, "community part with action part ... and
land-use part"), rather than regjeringen.no's "social element" and "land-use element".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from tests.content import FIXTURES, REPO_ROOT

LANGUAGES = ("nb", "nn", "en")

# Nynorsk: the variant we do not use -> the form we use.
NN_FORBIDDEN = {
    r"\bgje\b": "gi",
    r"\bgjev(?:e|en|ne|ast)?\b": "gi / gir / gitt",
    r"\bblei\b": "vart",
    # Every "han" in our texts would stand for a thing (a plan, a round): we write "den".
    r"\bhan\b": "den",
    r"planleggjar": "planleggar",
    r"namngjev": "namngitt",
    r"handsam": "behandla / behandling",
    r"vallovnad": "valløfte",
    r"er svara med": "har fått svaret",
    r"Fyll hola": "Finn svara som manglar",
    r"Låg sikkerheit": "Usikkert resultat",
    r"Den eine leiinga": "(rewritten)",
}

# English: the variant we do not use -> the term we use.
EN_FORBIDDEN = {
    r"\bplanning cultures?\b": "plan culture",
    r"\bgovernance tools?\b": "steering tool",
    r"\bmanagement tools?\b": "steering tool",
    # "Case documents" (saksdokumenter) are the papers of a case in general; the council paper
    # Planprofil writes is a "case presentation" (saksframlegg), a term of its own.
    r"\bcase (?:papers|reports?)\b": "case documents",
    r"\bstate administrators?\b": "the county governor (statsforvalter)",
    r"(?-i:\bCounty Governor)": "the county governor",
    r"\bcounty governor's office": "the county governor",
    r"\banchor": "has firm backing",
    r"\bpart-time shares?\b": "part-time positions",
    r"\bsocial element\b": "community part",
    r"\bland-use element\b": "land-use part",
}

# msgids (in the Python code or the templates) that use a forbidden English variant themselves.
# The English catalogue must repeat the msgid, so these stay until the source is changed; then
# remove them here (test_english_msgid_exceptions_are_still_needed says when).
EN_MSGID_EXCEPTIONS: set[str] = set()  # msgids of the code that may keep a forbidden variant


def keyed_texts(node: Any, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(where, language, text) for every {nb, nn?, en?} text in a document. List items with a
    `key` are named by it, so a hit reads `recommendations.establish_plan_culture.title`."""
    if isinstance(node, dict):
        if node and set(node) <= set(LANGUAGES):
            for language, text in node.items():
                if isinstance(text, str):
                    yield where, language, text
                else:
                    # A text that is a list (the levels of a question).
                    for index, item in enumerate(text or []):
                        yield f"{where}[{index}]", language, str(item)
            return
        for name, value in node.items():
            yield from keyed_texts(value, f"{where}.{name}" if where else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("key") if isinstance(value, dict) else None
            yield from keyed_texts(value, f"{where}.{name}" if name else f"{where}[{index}]")


@cache
def _documents() -> dict[str, Any]:
    from assessment.bank import read_bank_file
    from guidance.library import read_library_file

    return {
        "bank v2": read_bank_file(FIXTURES / "bank" / "v2.yaml").document,
        "library v2": read_library_file(FIXTURES / "library" / "v2.yaml"),
    }


def content_texts(language: str) -> list[tuple[str, str]]:
    """(where, text) for every text in `language` of bank v2 and library v2."""
    return [
        (f"{name}: {where}", text)
        for name, document in _documents().items()
        for where, lang, text in keyed_texts(document)
        if lang == language
    ]


def catalogue_entries(language: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translated entry of a catalogue (plural forms each on its own;
    the header and obsolete entries left out)."""
    path = REPO_ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    entries: list[tuple[str, str]] = []
    fields: dict[str, str] = {}
    current: str | None = None

    def flush() -> None:
        msgid = fields.get("msgid", "")
        for name, text in fields.items():
            if name.startswith("msgstr") and msgid and text:
                entries.append((msgid, text))
        fields.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgctxt", "msgid ")):
            if "msgid" in fields:
                flush()
            current = line.split(" ", 1)[0]
            fields[current] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith(("msgid_plural", "msgstr")):
            current = line.split(" ", 1)[0]
            fields[current] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"') and current:
            fields[current] += ast.literal_eval(line)
        else:
            current = None
    flush()
    return entries


def hits(forbidden: dict[str, str], texts: list[tuple[str, str]], *, flags: int = 0) -> list[str]:
    found = []
    for where, text in texts:
        for pattern, instead in forbidden.items():
            for match in re.finditer(pattern, text, flags):
                found.append(f"{where}: «{match.group(0)}» (write {instead}) in {text!r}")
    return found


def nn_texts() -> list[tuple[str, str]]:
    return content_texts("nn") + [
        (f"nn catalogue, msgid {msgid!r}", msgstr) for msgid, msgstr in catalogue_entries("nn")
    ]


def en_texts() -> list[tuple[str, str]]:
    return content_texts("en") + [
        (f"en catalogue, msgid {msgid!r}", msgstr)
        for msgid, msgstr in catalogue_entries("en")
        if msgid not in EN_MSGID_EXCEPTIONS
    ]


def test_the_texts_are_read():
    for language in ("nn", "en"):
        assert len(content_texts(language)) > 700
        assert len(catalogue_entries(language)) > 400


def test_nynorsk_uses_one_variant_of_each_pair():
    found = hits(NN_FORBIDDEN, nn_texts(), flags=re.I)
    assert not found, "\n".join(found)


def test_english_uses_one_term_for_each_thing():
    found = hits(EN_FORBIDDEN, en_texts(), flags=re.I)
    assert not found, "\n".join(found)


def test_english_msgid_exceptions_are_still_needed():
    """An exception whose msgid has been changed in the source is removed from the list."""
    msgids = {msgid for msgid, _ in catalogue_entries("en")}
    stale = [
        msgid
        for msgid in EN_MSGID_EXCEPTIONS
        if msgid not in msgids or not hits(EN_FORBIDDEN, [("", msgid)], flags=re.I)
    ]
    assert not stale, f"remove from EN_MSGID_EXCEPTIONS: {stale}"


@pytest.mark.parametrize(
    ("forbidden", "text", "expected"),
    [
        (NN_FORBIDDEN, "Planen blei vedteken, og vi handsama han i fjor.", 3),
        (NN_FORBIDDEN, "Dette kan gje betre planar; det gjev oss tid.", 2),
        (NN_FORBIDDEN, "Planleggjaren og dei namngjevne vallovnadene.", 3),
        (NN_FORBIDDEN, "Fyll hola i. Låg sikkerheit. Mange spørsmål er svara med «Veit ikkje».", 3),
        (NN_FORBIDDEN, "Planen vart vedteken; vi behandla den og gir han ... nei: gir den tid.", 1),
        (NN_FORBIDDEN, "Vi gjer det, og det gir oss tid. Planleggaren namngitte valløfta.", 0),
        (EN_FORBIDDEN, "A planning culture where plans are governance tools.", 2),
        (EN_FORBIDDEN, "The state administrator and the County Governor's office.", 3),
        (EN_FORBIDDEN, "The plan is anchored; anchoring matters; part-time shares.", 3),
        (EN_FORBIDDEN, "Plan culture: the plan has firm backing and is a steering tool.", 0),
    ],
)
def test_the_check_catches_a_bad_text(forbidden, text, expected):
    assert len(hits(forbidden, [("constructed", text)], flags=re.I)) == expected
