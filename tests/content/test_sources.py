"""fixtures/sources.yaml: every source has a citation, a year or «u.å.» (n.d.), and a link to the
page of the work itself rather than a site's front page (issue 13, "Sources")."""

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

NO_DATE = "u.å."  # «uten år», Norwegian for "n.d."
_YEAR_IN_CITATION = re.compile(r"\((?:[^()]*\s)?(\d{4}|u\.å\.)\)")


def source_problems(entry: dict[str, Any]) -> list[str]:
    """What is wrong with one entry of sources.yaml (empty when nothing is)."""
    key = entry.get("key", "?")
    problems = []
    citation = " ".join(str(entry.get("citation") or "").split())
    if not citation:
        problems.append(f"{key}: no citation")
    year = entry.get("year")
    verified = entry.get("year_verified", True)
    if year == "n.d.":
        shown = NO_DATE
    elif isinstance(year, int) and 1800 <= year <= 2100:
        shown = NO_DATE if verified is False else str(year)
    else:
        problems.append(f"{key}: year must be a year or 'n.d.', not {year!r}")
        shown = None
    if verified not in (True, False):
        problems.append(f"{key}: year_verified must be true or false")
    found = _YEAR_IN_CITATION.search(citation)
    if shown == NO_DATE:
        # An unverified year is not printed as a fact.
        if not found or found.group(1) != NO_DATE:
            problems.append(f"{key}: the citation must give the year as ({NO_DATE})")
        elif isinstance(year, int) and re.search(rf"\b{year}\b", citation):
            problems.append(f"{key}: the unverified year {year} is printed in the citation")
    elif (
        # A verified year is printed: "(2023)", or within a law's date ("Lov 27. juni 2008 ...").
        shown
        and not (found and found.group(1) == shown)
        and not (citation.startswith("Lov ") and re.search(rf"\b{shown}\b", citation))
    ):
        problems.append(f"{key}: the citation must give the year as ({shown})")
    url = str(entry.get("url") or "")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        problems.append(f"{key}: URL must be an https address, not {url!r}")
    elif parts.path.strip("/") == "" and not parts.query and key not in HOMEPAGE_ONLY:
        problems.append(f"{key}: URL {url} is a front page; link the page of the work itself")
    if "[" in citation and "]" not in citation:
        problems.append(f"{key}: unclosed [description] in the citation")
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
    titles = [_title(e["citation"]) for e in entries]
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
        # An unverified year printed as if it were a fact.
        ({"year_verified": False}, "(u.å.)"),
        ({"year_verified": "no"}, "year_verified"),
        (
            {"citation": "Forfatter (u.å.). Tittel fra 2023.", "year_verified": False},
            "unverified year 2023 is printed",
        ),
    ],
)
def test_the_check_catches_a_bad_entry(change, expected):
    assert source_problems(GOOD) == []
    problems = source_problems({**GOOD, **change})
    assert any(expected in p for p in problems), problems


def test_the_check_accepts_no_date():
    assert source_problems({**GOOD, "citation": "Forfatter (u.å.). Tittel.", "year": "n.d."}) == []
    unverified = {**GOOD, "citation": "Forfatter (u.å.). Tittel.", "year_verified": False}
    assert source_problems(unverified) == []
    law = {**GOOD, "citation": "Lov 22. juni 2018 nr. 83 om kommuner (kommuneloven).", "year": 2018}
    assert source_problems(law) == []
