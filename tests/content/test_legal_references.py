"""Every section of law the content cites ("§ 11-2", "§§ 10-1 og 11-1", "section 5-14",
"kommuneloven kapittel 19") is on the checked list in fixtures/legal_references.yaml (issue 13).

Reads the question bank and the library in every version with their translations, the templates
and their catalogues, and the source citations."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.content import (
    FIXTURES,
    content_files,
    po_files,
    po_translations,
    template_files,
    template_texts,
    yaml_texts,
)

LAW_NAMES = {
    "pbl": re.compile(
        r"plan-\s*og\s*bygningslov(?:en|a)?|\bpbl\b\.?|Planning and Building Act", re.I
    ),
    "kommuneloven": re.compile(r"kommunelov(?:en|a)?\b|Local Government Act", re.I),
}
_SECTION = r"\d{1,2}\s*-\s*\d{1,2}(?:[a-z]\b)?"
_SEPARATOR = r"\s*(?:,|og|and|eller|or|til|to|–|-)\s*"
SECTIONS = re.compile(
    rf"(?:§§?|\bsections?\b)\s*(?P<list>{_SECTION}(?:{_SEPARATOR}{_SECTION})*)", re.I
)
CHAPTERS = re.compile(
    r"\b(?:kapittel|kapitla|kapitlene|kapitla|kap\.|chapters?)\s*"
    r"(?P<list>\d{1,2}(?:\s*(?:,|og|and|–|-)\s*\d{1,2})*)\b",
    re.I,
)
# A law named right after the reference ("§ 14-4 i kommuneloven", "section 3-3 of the ... Act").
_FOLLOWING = 40


@cache
def _known() -> tuple[set[tuple[str, str]], set[tuple[str, int]]]:
    document = yaml.safe_load((FIXTURES / "legal_references.yaml").read_text(encoding="utf-8"))
    sections = {(r["law"], r["section"]) for r in document["references"] if "section" in r}
    chapters = {(r["law"], r["chapter"]) for r in document["references"] if "chapter" in r}
    return sections, chapters


def _law_at(text: str, start: int, end: int) -> str | None:
    """The law a reference at text[start:end] belongs to: one named just after it, else the
    nearest one named before it."""
    after = text[end : end + _FOLLOWING]
    following = [(m.start(), law) for law, rx in LAW_NAMES.items() for m in rx.finditer(after)]
    if following and re.match(r"\s*(?:i|in|of|etter|under)\b", after):
        return min(following)[1]
    before = [(m.end(), law) for law, rx in LAW_NAMES.items() for m in rx.finditer(text[:start])]
    return max(before)[1] if before else None


def legal_references(text: str) -> list[tuple[str | None, str, str]]:
    """(law or None, "section" or "chapter", number) for every reference in a text."""
    found: list[tuple[str | None, str, str]] = []
    for match in SECTIONS.finditer(text):
        law = _law_at(text, match.start(), match.end())
        for number in re.findall(_SECTION, match.group("list")):
            found.append((law, "section", re.sub(r"\s+", "", number)))
    for match in CHAPTERS.finditer(text):
        law = _law_at(text, match.start(), match.end())
        if law is None:
            continue  # "chapter 3" of a report, not of a law
        for number in re.findall(r"\d{1,2}", match.group("list")):
            found.append((law, "chapter", number))
    return found


def unlisted(text: str) -> list[str]:
    """The references in a text that are not on the list."""
    sections, chapters = _known()
    problems = []
    for law, kind, number in legal_references(text):
        if kind == "section":
            listed = (
                {s for _, s in sections} if law is None else {s for w, s in sections if w == law}
            )
        else:
            listed = {str(c) for w, c in chapters if w == law}
        if number not in listed:
            problems.append(f"{law or 'unnamed law'} {kind} {number}")
    return problems


def _texts() -> list[tuple[Path, str]]:
    texts = [
        (p, t)
        for folder in ("bank", "library")
        for p in content_files(folder)
        for t in yaml_texts(p)
    ]
    texts += [(p, t) for p in template_files() for t in template_texts(p)]
    texts += [(p, t) for p in po_files() for t in po_translations(p)]
    sources = FIXTURES / "sources.yaml"
    for entry in yaml.safe_load(sources.read_text(encoding="utf-8"))["sources"]:
        texts.append((sources, str(entry["citation"])))
    return texts


def test_every_cited_section_is_on_the_list():
    problems = sorted(
        {
            f"{path.relative_to(FIXTURES.parent)}: {p}"
            for path, text in _texts()
            for p in unlisted(text)
        }
    )
    assert not problems, "add to fixtures/legal_references.yaml (after checking Lovdata):\n" + (
        "\n".join(problems)
    )


def test_the_list_has_each_law_and_its_lovdata_address():
    document = yaml.safe_load((FIXTURES / "legal_references.yaml").read_text(encoding="utf-8"))
    assert document["laws"]["pbl"]["url"] == "https://lovdata.no/dokument/NL/lov/2008-06-27-71"
    assert document["laws"]["kommuneloven"]["url"] == (
        "https://lovdata.no/dokument/NL/lov/2018-06-22-83"
    )
    for reference in document["references"]:
        assert reference["law"] in document["laws"], reference
        assert ("section" in reference) != ("chapter" in reference), reference
        assert str(reference.get("description") or "").strip(), reference
        if "section" in reference:
            assert re.fullmatch(r"\d{1,2}-\d{1,2}[a-z]?", reference["section"]), reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Etter plan- og bygningsloven § 11-2 tredje ledd", [("pbl", "section", "11-2")]),
        ("jf. pbl. §§ 10-1 og 11-1", [("pbl", "section", "10-1"), ("pbl", "section", "11-1")]),
        ("kommuneloven § 5-14", [("kommuneloven", "section", "5-14")]),
        (
            "Plan- og bygningsloven § 11-1 åpner for at økonomiplanen etter kommuneloven § 14-4",
            [("pbl", "section", "11-1"), ("kommuneloven", "section", "14-4")],
        ),
        ("§ 14-4 i kommuneloven, ikke pbl.", [("kommuneloven", "section", "14-4")]),
        ("the Planning and Building Act section 3-3", [("pbl", "section", "3-3")]),
        (
            "sections 10-1 and 11-1 of the Act",
            [(None, "section", "10-1"), (None, "section", "11-1")],
        ),
        (
            "kommuneloven kapittel 19 og 20",
            [("kommuneloven", "chapter", "19"), ("kommuneloven", "chapter", "20")],
        ),
        ("chapter 3 of the final report", []),
        ("a standard section to case reports", []),
    ],
)
def test_references_are_read(text, expected):
    assert legal_references(text) == expected


def test_an_unlisted_section_is_caught():
    """The check can fail: a section nobody has checked, or one put under the wrong law."""
    assert unlisted("plan- og bygningsloven § 11-3") == []
    assert unlisted("plan- og bygningsloven § 12-1") == ["pbl section 12-1"]
    assert unlisted("pbl. § 14-4") == ["pbl section 14-4"]
    assert unlisted("kommuneloven kapittel 25") == ["kommuneloven chapter 25"]


def test_the_readable_list_matches():
    """docs/legal-references.md lists the same sections and chapters as the YAML file."""
    document = yaml.safe_load((FIXTURES / "legal_references.yaml").read_text(encoding="utf-8"))
    page = (FIXTURES.parent / "docs" / "legal-references.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- \*\*(.+?)\*\*", page, re.M))
    expected = {
        f"{document['laws'][r['law']]['short']} "
        + (f"§ {r['section']}" if "section" in r else f"chapter {r['chapter']}")
        for r in document["references"]
    }
    assert listed == expected
