"""fixtures/sources.yaml: every source has a citation, a year or «u.å.» (n.d.), and a link to the
page of the work itself rather than a site's front page; a citation with words of ours (a
[description], "u.å.") is translated into nynorsk and English (issue 13, "Sources")."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.content import FIXTURES

# Sources whose URL may stay a front page, each with the reason. Keep this list as short as the
# truth allows: when the page of the work becomes known, link it and remove the entry.
HOMEPAGE_ONLY = {
    # The cited work is the website itself (Distriktssenteret's guide made with the ministry).
    "enkelplanlegging": "the cited work is the whole website",
    # Seed document 001: slides without a title page; no address of the slides is known.
    "ds_lokal_utvikling": "presentation with no known web address",
    # Seed document 002: slides without a title page; no address of the slides is known.
    "ds_bolig": "presentation with no known web address",
}

LANGUAGES = ("nb", "nn", "en")
# How a citation says "no year" in each language: «u.å.» (uten år) in bokmål and nynorsk.
NO_DATE = {"nb": "u.å.", "nn": "u.å.", "en": "n.d."}
_YEAR_IN_CITATION = re.compile(r"\((?:[^()]*\s)?(\d{4}|u\.å\.|n\.d\.)\)")
# Words of ours in a bokmål citation, which the nynorsk and English citations translate: a
# [description], "u.å.", "mfl.", "på oppdrag fra".
_OUR_WORDS = re.compile(r"\[|\bu\.å\.|\bmfl\.|\bpå oppdrag fra\b")
# Bokmål words of ours that an English citation must not keep.
_NOT_ENGLISH = re.compile(r"\bu\.å\.|\bmfl\.|\bpå oppdrag\b")


def citations(entry: dict[str, Any]) -> dict[str, str]:
    """The citation by language. A plain text is bokmål, and is shown as written in every
    language (it has no words of ours)."""
    raw = entry.get("citation")
    texts = raw if isinstance(raw, dict) else {"nb": raw}
    return {language: " ".join(str(text or "").split()) for language, text in texts.items()}


def source_problems(entry: dict[str, Any]) -> list[str]:
    """What is wrong with one entry of sources.yaml (empty when nothing is)."""
    key = entry.get("key", "?")
    problems = []
    texts = citations(entry)
    if set(texts) - set(LANGUAGES):
        problems.append(f"{key}: citation languages must be {LANGUAGES}, not {sorted(texts)}")
    if "year_verified" in entry:
        problems.append(f'{key}: year_verified is gone: write `year: "n.d."` for no year')
    year = entry.get("year")
    if year == "n.d.":
        shown = dict(NO_DATE)
    elif isinstance(year, int) and not isinstance(year, bool) and 1800 <= year <= 2100:
        shown = dict.fromkeys(LANGUAGES, str(year))
    else:
        problems.append(f"{key}: year must be a year or 'n.d.', not {year!r}")
        shown = {}
    if not texts.get("nb"):
        problems.append(f"{key}: no citation")
    elif isinstance(entry.get("citation"), dict) or _OUR_WORDS.search(texts["nb"]):
        # A citation with words of ours is written in every language.
        missing = [language for language in LANGUAGES if not texts.get(language)]
        if missing:
            problems.append(f"{key}: the citation has words of ours; translate it: {missing}")
    if texts.get("en"):
        for match in _NOT_ENGLISH.finditer(texts["en"]):
            problems.append(f"{key}: the English citation keeps «{match.group(0)}»")
    for language, citation in texts.items():
        if not citation or language not in shown:
            continue
        found = _YEAR_IN_CITATION.search(citation)
        expected = shown[language]
        if (
            # The year is printed: "(2023)", "(u.å.)", "(n.d.)", or within a law's date
            # ("Lov 27. juni 2008 ...").
            not (found and found.group(1) == expected)
            and not (citation.startswith("Lov ") and re.search(rf"\b{expected}\b", citation))
        ):
            problems.append(f"{key}: the {language} citation must give the year as ({expected})")
        if "[" in citation and "]" not in citation:
            problems.append(f"{key}: unclosed [description] in the {language} citation")
    url = str(entry.get("url") or "")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        problems.append(f"{key}: URL must be an https address, not {url!r}")
    elif parts.path.strip("/") == "" and not parts.query and key not in HOMEPAGE_ONLY:
        problems.append(f"{key}: URL {url} is a front page; link the page of the work itself")
    return problems


def _sources() -> list[dict[str, Any]]:
    return yaml.safe_load((FIXTURES / "sources.yaml").read_text(encoding="utf-8"))["sources"]


def test_every_source_has_citation_year_and_the_page_of_the_work():
    problems = [problem for entry in _sources() for problem in source_problems(entry)]
    assert not problems, "\n".join(problems)


def test_keys_are_unique_and_titles_are_not_shared():
    entries = _sources()
    keys = [e["key"] for e in entries]
    assert len(keys) == len(set(keys))
    # A title (the citation without author and year) belongs to one work only.
    titles = [_title(citations(e)["nb"]) for e in entries]
    shared = {t for t in titles if titles.count(t) > 1}
    assert not shared, shared


def _title(citation: str) -> str:
    text = " ".join(citation.split())
    found = _YEAR_IN_CITATION.search(text)
    return text[found.end() :].lstrip(". ") if found else text


def test_homepage_exceptions_are_still_needed():
    """An exception whose source now links a page (or no longer exists) is removed from the list."""
    by_key = {e["key"]: e for e in _sources()}
    stale = [
        key
        for key in HOMEPAGE_ONLY
        if key not in by_key or urlsplit(str(by_key[key]["url"])).path.strip("/")
    ]
    assert not stale, f"remove from HOMEPAGE_ONLY: {stale}"


_TRANSLATED = {
    "nb": "Forfatter mfl. (2023). Tittel [veileder].",
    "nn": "Forfatter mfl. (2023). Tittel [rettleiar].",
    "en": "Forfatter et al. (2023). Tittel [guide].",
}
_NO_DATE = {
    "nb": "Forfatter (u.å.). Tittel [veileder].",
    "nn": "Forfatter (u.å.). Tittel [rettleiar].",
    "en": "Forfatter (n.d.). Tittel [guide].",
}

GOOD = {
    "key": "good",
    "citation": "Forfatter, A. (2023). Tittel.",
    "year": 2023,
    "url": "https://example.org/side/",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"citation": ""}, "no citation"),
        ({"year": 23}, "year must be"),
        ({"year": "2023"}, "year must be"),
        ({"year": None}, "year must be"),
        ({"url": "https://example.org/"}, "is a front page"),
        ({"url": "https://example.org"}, "is a front page"),
        ({"url": "http://example.org/side/"}, "https address"),
        ({"url": ""}, "https address"),
        # The year field and the printed year disagree.
        ({"year": 2022}, "(2022)"),
        # A year that could not be verified is "n.d.", and the citation says so.
        ({"year": "n.d."}, "(u.å.)"),
        ({"year_verified": False}, "year_verified is gone"),
        # Words of ours left in bokmål.
        ({"citation": "Forfatter (2023). Tittel [veileder]."}, "translate it: ['nn', 'en']"),
        (
            {"citation": {"nb": "Forfatter (2023). Tittel [veileder].", "nn": "F (2023). T."}},
            "translate it: ['en']",
        ),
        (
            {"citation": {**_TRANSLATED, "en": "Forfatter mfl. (2023). Tittel [guide]."}},
            "keeps «mfl.»",
        ),
        (
            {"year": "n.d.", "citation": {**_NO_DATE, "en": "Forfatter (u.å.). Tittel [guide]."}},
            "the en citation must give the year as (n.d.)",
        ),
        ({"citation": {**_TRANSLATED, "se": "Forfatter (2023)."}}, "citation languages"),
    ],
)
def test_the_check_catches_a_bad_entry(change, expected):
    assert source_problems(GOOD) == []
    problems = source_problems({**GOOD, **change})
    assert any(expected in p for p in problems), problems


def test_the_check_accepts_no_date_and_translations():
    assert source_problems({**GOOD, "citation": "Forfatter (u.å.). Tittel.", "year": "n.d."}) == [
        f"good: the citation has words of ours; translate it: {['nn', 'en']}"
    ]
    assert source_problems({**GOOD, "citation": _NO_DATE, "year": "n.d."}) == []
    assert source_problems({**GOOD, "citation": _TRANSLATED}) == []
    law = {**GOOD, "citation": "Lov 22. juni 2018 nr. 83 om kommuner (kommuneloven).", "year": 2018}
    assert source_problems(law) == []


def test_citations_with_words_of_ours_are_translated():
    """Every citation with a [description], "u.å." or the like has nn and en versions."""
    translated = [e["key"] for e in _sources() if isinstance(e["citation"], dict)]
    assert len(translated) >= 10, translated
