"""A closed round on bank v1 reports exactly what it reported before scoring method 2.

The golden files were written by make_golden.py running against the code before method 2
(see its docstring). Here the same round is restored from its frozen snapshot (profile,
recommendations, library version, closed_at) and the current code's report is compared with
the old one:

- every field the old ReportData had, recursively, value by value (scores, texts, lists,
  recommendations, sources, action plan, answers, method, the report date);
- the fields only the new ReportData has: for v1 `register` is empty and `scoring_method` is
  1, and the `*_note` texts are the sentences the old templates wrote (same msgids, so the
  same translation in every language); a new field inside a row (ThemeRow.large_gap) must
  only repeat what the old report already said (the gap rows' `large`);
- the visible text of the PDF's HTML (reports.pdf.report_html), chunk by chunk;
- the comments a coordinator sees (assessment.selectors.theme_comments);
- and, separately, closing the same answers *now*: the new code must freeze the same figures
  and the same recommendations for a v1 round as the old code did (the profile may only gain
  keys that are empty for v1).

One thing is deliberately not reproduced: a cited source's citation text and link. They are
bibliographic references, kept correct in fixtures/sources.yaml (issue 13 fixed titles and
dead links), and every report, old or new, prints the corrected reference; which sources a
recommendation cites (their keys) is compared like everything else. The only clock-dependent
field, `report_date`, is the day the round closed (closed_at is restored from the golden
round), so it is compared too.

Not exercised by this round: the peer benchmark (a fresh database has no peers, so the old
report's benchmark is empty and so must the new one be), an edited action plan, and a
library example from the round's own municipality.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from assessment import selectors
from assessment.models import (
    Assessment,
    Municipality,
    QuestionBank,
    Respondent,
    ResultSnapshot,
    Theme,
    ThemeComment,
)
from assessment.services import profile_hash
from guidance.models import Library as LibraryRecord
from reports import pdf
from reports.report import build_report
from tests.reports_golden.make_golden import answer_and_close, visible_text

HERE = Path(__file__).resolve().parent
ROUND = json.loads((HERE / "v1_round.json").read_text())
GOLDEN = {lang: json.loads((HERE / f"v1_report_{lang}.json").read_text()) for lang in ("nb", "en")}

# The sentences the old templates wrote (git show <old commit>:templates/reports/results.html,
# and the PDF's gap lead), as msgids: the old `blocktranslate with t=... trimmed` has the msgid
# with "%(t)s". The new code states them as ReportData's *_note fields.
OLD_NOTES = {
    "gap_note": (
        "Elected politicians' and the administration's mean scores per theme. A difference of "
        "more than %(t)s points (marked ▲) is a finding of its own: the two sides see the "
        "municipality differently.",
        "gap_threshold",
    ),
    "split_note": (
        "Themes marked “split”: the respondents' scores spread more than %(t)s points, so "
        "people see the theme very differently. That is worth talking about before acting on "
        "the average.",
        "split_threshold",
    ),
    "strengths_note": ("The themes with the highest scores: something to build on.", None),
    "development_note": ("The themes with the lowest scores: where effort will matter most.", None),
}
# The same, written out in English as the old page showed them for thresholds 20 and 25.
OLD_NOTES_EN = {
    "gap_note": "Elected politicians' and the administration's mean scores per theme. A "
    "difference of more than 20 points (marked ▲) is a finding of its own: the two sides see the "
    "municipality differently.",
    "split_note": "Themes marked “split”: the respondents' scores spread more than 25 points, so "
    "people see the theme very differently. That is worth talking about before acting on the "
    "average.",
    "strengths_note": "The themes with the highest scores: something to build on.",
    "development_note": "The themes with the lowest scores: where effort will matter most.",
}
# Fields only the new ReportData has, and what they must be for a v1 round.
NEW_FIELD_DEFAULTS = {"register": [], "scoring_method": 1, "fictional": False}
# Fields new inside a row; each is checked by a test of its own below.
NEW_ROW_FIELDS = {"large_gap"}


def _jsonable(value: Any) -> Any:
    # As make_golden.py stored it: tuples become lists, mappings keep their keys.
    return json.loads(json.dumps(value, ensure_ascii=False))


# A source row's reference text and link: kept correct, not frozen (see the docstring).
REFERENCE_FIELDS = ("citation", "url")


def _differences(old: Any, new: Any, path: str, out: list[str], new_keys: set[str]) -> None:
    """Every place where `new` does not say what `old` said, as "path: old != new". Keys the
    old report did not have are not compared here; their names are collected in new_keys."""
    if isinstance(old, dict) and isinstance(new, dict) and ".sources[" in path:
        old = {k: v for k, v in old.items() if k not in REFERENCE_FIELDS}
        new = {k: v for k, v in new.items() if k not in REFERENCE_FIELDS}
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            if key not in new:
                out.append(f"{path}.{key}: missing in the new report (old {old[key]!r})")
            else:
                _differences(old[key], new[key], f"{path}.{key}", out, new_keys)
        new_keys.update(f"{path}.{k}" for k in new if k not in old)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            out.append(f"{path}: {len(old)} items before, {len(new)} now")
        for i, (o, n) in enumerate(zip(old, new, strict=False)):
            _differences(o, n, f"{path}[{i}]", out, new_keys)
    elif old != new or type(old) is not type(new):
        out.append(f"{path}:\n    old: {old!r}\n    new: {new!r}")


@pytest.fixture
def v1_round(db) -> Assessment:
    """The golden round, restored as the database holds a closed round: the assessment on bank
    v1, its frozen snapshot exactly as stored, and its submitted respondents with comments."""
    bank = QuestionBank.objects.get(version=ROUND["bank_version"])
    assert LibraryRecord.objects.filter(version=ROUND["library_version"]).exists()
    closed_at = dt.datetime.fromisoformat(ROUND["closed_at"])
    assessment = Assessment.objects.create(
        municipality=Municipality.objects.get(number=ROUND["municipality"]),
        bank=bank,
        period=ROUND["period"],
        round=ROUND["round"],
        label=ROUND["label"],
        status=Assessment.Status.CLOSED,
        closed_at=closed_at,
    )
    ResultSnapshot.objects.create(
        assessment=assessment,
        bank_version=ROUND["bank_version"],
        profile=ROUND["profile"],
        library_version=ROUND["library_version"],
        overall=ROUND["overall"],
        completeness=ROUND["completeness"],
        scores=ROUND["scores"],
        recommendations=ROUND["recommendations"],
        content_hash=ROUND["content_hash"],
    )
    for row in ROUND["respondents"]:
        respondent = Respondent.objects.create(
            assessment=assessment,
            role_group=row["role_group"],
            submitted_at=dt.datetime.fromisoformat(row["submitted_at"]),
        )
        for theme_key, text in row["comments"].items():
            ThemeComment.objects.create(
                respondent=respondent,
                theme=Theme.objects.get(dimension__bank=bank, key=theme_key),
                text=text,
            )
    return Assessment.objects.get(pk=assessment.pk)  # fresh, with its snapshot


def test_the_golden_snapshot_is_what_the_old_code_froze():
    """The stored profile and recommendations are the ones the old code hashed."""
    assert ROUND["bank_version"] == "1"
    assert ROUND["content_hash"] == profile_hash(
        {"profile": ROUND["profile"], "recommendations": ROUND["recommendations"]}
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_old_field_is_reproduced(v1_round, language):
    old = GOLDEN[language]["report"]
    new = _jsonable(dataclasses.asdict(build_report(v1_round, language=language)))
    differences: list[str] = []
    new_keys: set[str] = set()
    _differences(old, new, "report", differences, new_keys)
    assert not differences, (
        f"The v1 report in {language!r} no longer says what it said before method 2 "
        f"({len(differences)} differences):\n" + "\n".join(differences)
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_new_fields_are_v1_defaults_and_old_sentences(v1_round, language):
    old = GOLDEN[language]["report"]
    report = build_report(v1_round, language=language)
    new = _jsonable(dataclasses.asdict(report))
    expected_new = set(NEW_FIELD_DEFAULTS) | set(OLD_NOTES)
    assert set(new) - set(old) == expected_new, "a new ReportData field this test does not check"
    for name, default in NEW_FIELD_DEFAULTS.items():
        assert new[name] == default, f"{name}: {new[name]!r}, expected {default!r} for bank v1"
    with translation.override(language):
        for name, (msgid, threshold) in OLD_NOTES.items():
            sentence = gettext(msgid)
            expected = sentence % {"t": old[threshold]} if threshold else sentence
            assert getattr(report, name) == expected, f"{name} is not the old sentence"
    if language == "en":
        for name, sentence in OLD_NOTES_EN.items():
            assert getattr(report, name) == sentence, f"{name} is not the old English sentence"
    # The old PDF wrote the gap sentence from its own template: the note must be that text.
    assert report.gap_note in GOLDEN[language]["pdf_text"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_new_row_fields_only_restate_old_ones(v1_round, language):
    """ThemeRow.large_gap is new; for v1 it must agree with the old gap rows' `large`."""
    new = _jsonable(dataclasses.asdict(build_report(v1_round, language=language)))
    new_keys: set[str] = set()
    _differences(GOLDEN[language]["report"], new, "report", [], new_keys)
    unexpected = {k for k in new_keys if k.rsplit(".", 1)[-1] not in NEW_ROW_FIELDS}
    unexpected -= {f"report.{name}" for name in [*NEW_FIELD_DEFAULTS, *OLD_NOTES]}
    assert not unexpected, f"new fields inside rows that no test checks: {sorted(unexpected)}"
    large = {g["key"] for g in GOLDEN[language]["report"]["gaps"] if g["large"]}
    themes = [t for d in new["dimensions"] for t in d["themes"]]
    for row in [*themes, *new["strengths"], *new["development_areas"]]:
        assert row["large_gap"] == (row["key"] in large), row["key"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_pdf_text_is_reproduced(v1_round, language):
    report = build_report(v1_round, language=language)
    # References are kept correct, not frozen: compare the text around them, without the
    # reference lines themselves (which sources are cited is compared in the report fields).
    references = {
        text
        for rec in report.recommendations
        for src in rec.sources
        for text in (src.citation, src.url)
    } | {
        src[field]
        for rec in GOLDEN[language]["report"]["recommendations"]
        for src in rec["sources"]
        for field in REFERENCE_FIELDS
    }
    old = [line for line in GOLDEN[language]["pdf_text"] if line not in references]
    new = [line for line in visible_text(pdf.report_html(report)) if line not in references]
    diff = list(difflib.unified_diff(old, new, "old PDF text", "new PDF text", n=1, lineterm=""))
    assert old == new, f"The v1 PDF in {language!r} reads differently:\n" + "\n".join(diff)


def test_comments_are_reproduced(v1_round):
    assert selectors.theme_comments(v1_round) == ROUND["theme_comments"]


def test_closing_a_v1_round_now_freezes_what_the_old_code_froze(db):
    """The same answers, closed with the current code: the same profile document, and the same
    recommendations in the same order (the frozen match may carry more detail per subject:
    the answer shares and the advice item, which method 2's texts use)."""
    _assessment, snapshot, respondents = answer_and_close()
    assert respondents == ROUND["respondents"]
    assert snapshot.library_version == ROUND["library_version"]
    assert (snapshot.overall, snapshot.completeness, snapshot.scores) == (
        ROUND["overall"],
        ROUND["completeness"],
        ROUND["scores"],
    )
    differences: list[str] = []
    new_keys: set[str] = set()
    profile = _jsonable(snapshot.profile)
    _differences(ROUND["profile"], profile, "profile", differences, new_keys)
    _differences(
        ROUND["recommendations"], _jsonable(snapshot.recommendations), "recs", differences, set()
    )
    if [r["key"] for r in snapshot.recommendations["recommendations"]] != [
        r["key"] for r in ROUND["recommendations"]["recommendations"]
    ]:
        old_keys = [r["key"] for r in ROUND["recommendations"]["recommendations"]]
        new_recs = [r["key"] for r in snapshot.recommendations["recommendations"]]
        differences.append(f"recommended before: {old_keys}\n  recommended now:    {new_recs}")
    # A v1 profile keeps exactly the keys it always had (Profile.to_dict drops method 2's).
    differences += [f"{key}: new in the profile" for key in sorted(new_keys)]
    assert not differences, (
        "Closing a v1 round now freezes something else than before method 2:\n"
        + "\n".join(differences)
    )
