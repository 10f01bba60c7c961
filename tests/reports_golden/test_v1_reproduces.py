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
- the fields only issue 14 added (draft mark, change since the last round, the reference list
  and the answers in words): defaults for a round with no earlier round, or restating the old
  fields (each source once, in order of first citation; the same counts per answer);
- the PDF's text (reports.pdf.report_html): every figure and every sentence the old PDF
  showed, but not its order or layout, which issue 14 changed (see test_pdf_text_is_reproduced);
- the comments a coordinator sees (assessment.selectors.theme_comments);
- and, separately, closing the same answers *now*: the new code must freeze the same figures
  and the same recommendations for a v1 round as the old code did (the profile may only gain
  keys that are empty for v1).

Three things are deliberately not reproduced. The draft council resolution (`resolution`):
issue 14 found the old one was not in municipal form (it pasted imperative recommendation
titles and adopted a plan with no deadlines), so every report now has the proper resolution
the council paper uses (reports/texts.py resolution_points); it is checked for being there,
not for its old words. Then, an English report's date is written as
en-GB now ("14 March 2025", issue 14) where the old code wrote US style ("March 14, 2025"):
the two must name the same day. Second, a cited source's citation text and link. They are
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
import json
import re
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
# Fields only the new ReportData has, and what they must be for a v1 round (one with no earlier
# closed round, which is the case in a fresh database).
NEW_FIELD_DEFAULTS = {
    "register": [],
    "scoring_method": 1,
    "fictional": False,
    "draft": False,
    "change": [],
    "change_since": "",
    "change_overall": None,
    "change_crosses_versions": False,
    "change_earlier_version": "",
}
# Issue 14's fields that restate old ones in another form; each is checked by a test below.
NEW_RESTATED_FIELDS = {"answer_texts", "references", "reference_numbers", "approach_notes"}
# Fields new inside a row; each is checked by a test of its own below.
NEW_ROW_FIELDS = {"large_gap"}


def _jsonable(value: Any) -> Any:
    # As make_golden.py stored it: tuples become lists, mappings keep their keys.
    return json.loads(json.dumps(value, ensure_ascii=False))


# A source row's reference text and link: kept correct, not frozen (see the docstring).
REFERENCE_FIELDS = ("citation", "url")


def _same_day(old: str, new: str) -> bool:
    """Whether the old English date ("March 14, 2025") and the new ("14 March 2025") name the
    same day. Any other pair (a Norwegian date, a changed day) compares as text."""
    try:
        return dt.datetime.strptime(old, "%B %d, %Y") == dt.datetime.strptime(new, "%d %B %Y")
    except ValueError:
        return False


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
    elif path == "report.report_date" and _same_day(old, new):
        pass  # en-GB now, US style before (see the docstring): the same day is the same field
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
    old = dict(GOLDEN[language]["report"])
    new = _jsonable(dataclasses.asdict(build_report(v1_round, language=language)))
    # Replaced on purpose by issue 14 (see the module docstring): present, not the old words.
    old.pop("resolution")
    assert new.pop("resolution")
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
    expected_new = set(NEW_FIELD_DEFAULTS) | set(OLD_NOTES) | NEW_RESTATED_FIELDS
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
    unexpected -= {
        f"report.{name}" for name in [*NEW_FIELD_DEFAULTS, *OLD_NOTES, *NEW_RESTATED_FIELDS]
    }
    assert not unexpected, f"new fields inside rows that no test checks: {sorted(unexpected)}"
    large = {g["key"] for g in GOLDEN[language]["report"]["gaps"] if g["large"]}
    themes = [t for d in new["dimensions"] for t in d["themes"]]
    for row in [*themes, *new["strengths"], *new["development_areas"]]:
        assert row["large_gap"] == (row["key"] in large), row["key"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_references_list_each_old_source_once(v1_round, language):
    """The reference list is the old recommendations' sources, each once, numbered in order of
    first citation, and each recommendation points at exactly the sources it cited before."""
    old_recs = GOLDEN[language]["report"]["recommendations"]
    report = build_report(v1_round, language=language)
    first_cited = list(dict.fromkeys(s["key"] for rec in old_recs for s in rec["sources"]))
    assert [r.key for r in report.references] == first_cited
    assert [r.number for r in report.references] == list(range(1, len(first_cited) + 1))
    number = {r.key: r.number for r in report.references}
    assert report.reference_numbers == {
        rec["key"]: tuple(number[s["key"]] for s in rec["sources"]) for rec in old_recs
    }
    assert set(report.approach_notes) == {rec["key"] for rec in old_recs}
    assert all(report.approach_notes.values())


@pytest.mark.parametrize("language", ["nb", "en"])
def test_answers_in_words_carry_the_old_counts(v1_round, language):
    """The answers appendix in words ("2 of 4 answered “…”") says, question by question, the
    same counts as the old "Yes: 2; No: 2": the same number of answers named, the same count
    for each in the same order, out of the total of those counts; a numeric question the same
    median; a question hidden for too few answers hidden the same way."""
    old = GOLDEN[language]["report"]["answers"]
    new = build_report(v1_round, language=language).answer_texts
    assert [t["name"] for t in old] == [t.name for t in new]
    for old_theme, new_theme in zip(old, new, strict=True):
        assert [r["question"] for r in old_theme["rows"]] == [r.question for r in new_theme.rows]
        for old_row, new_row in zip(old_theme["rows"], new_theme.rows, strict=True):
            before, now = old_row["summary"], new_row.summary
            if before.startswith("median "):
                median = before.removeprefix("median ").replace(",", ".")
                assert now.split()[-1].replace(",", ".") == median, (before, now)
                continue
            if ":" not in before:  # a dash or the too-few sentence: the same text
                assert now == before, (before, now)
                continue
            counts = [int(part.rsplit(": ", 1)[1]) for part in before.split("; ")]
            shown = [tuple(map(int, m)) for m in re.findall(r"(\d+)\D+?(\d+)", now)]
            assert shown == [(c, sum(counts)) for c in counts], (before, now)
            assert not re.search(r"(^|; )\d: ", now), f"a code instead of words: {now}"


def _lines(text: list[str]) -> str:
    return "\n".join(" ".join(line.split()) for line in text)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_pdf_text_is_reproduced(v1_round, language):
    """Every figure and every sentence of the old PDF is in the new one; its layout is not.

    Issue 14 made the report shorter (title and summary on one page, no separate per-dimension
    chapter, sources as one numbered reference list), so the text comes in another order and
    some headings, labels and column headers are new. Compared, strictly:

    1. Sentences: every old text line of four words or more (key messages, findings, reasons,
       "what the results show", first steps, example summaries, discussion questions, notes,
       method paragraphs, level and dimension descriptions, question texts and chart
       descriptions with all their figures) appears word for word in the new PDF text.
    2. Figures, as rows: each dimension with its score and level, each theme with its score and
       share answered, each gap row with its marker, both groups' means and the signed
       difference, each level with its score range, and each action-plan line with its
       number and owner, appear in that order in consecutive lines of the new text, with the
       values of the golden report (whose fields test_every_old_field_is_reproduced compares).
    3. Every line of the old text that is only a figure ("46", "100 %", "+53") is in the new.

    Not compared, and why:
    - lines of fewer than four words that are not figures: headings, captions, column headers
      and labels, which the new layout names and places differently;
    - the old layout sentences listed in CHANGED_LAYOUT below (the title now says what the
      document is, the answers appendix explains counts in words);
    - references (citation and link; kept correct, not frozen: see the module docstring);
    - the draft resolution, which moved to the saksframlegg (reports/council_paper.py) and is
      still compared as the `resolution` field;
    - the answers' "Ja: 2; Nei: 2" summaries and the approach labels ("Hyllevare (ferdig
      løsning)"), which the PDF now states in words: the same counts are compared by
      test_answers_in_words_carry_the_old_counts, the approach by the `approach` field;
    - the report date in English (US style before, en-GB now: the same day, see _same_day).
    """
    golden = GOLDEN[language]
    old_report = golden["report"]
    report = build_report(v1_round, language=language)
    changed_layout = set(CHANGED_LAYOUT[language])
    left_out = (
        {t for rec in report.recommendations for s in rec.sources for t in (s.citation, s.url)}
        | {
            s[f]
            for rec in old_report["recommendations"]
            for s in rec["sources"]
            for f in REFERENCE_FIELDS
        }
        | set(old_report["resolution"])
        | {r["summary"] for t in old_report["answers"] for r in t["rows"]}
        | {rec["approach"] for rec in old_report["recommendations"]}
        | changed_layout
        | ({old_report["report_date"]} if language == "en" else set())
    )
    old = [" ".join(line.split()) for line in golden["pdf_text"] if line not in left_out]
    new_lines = [" ".join(line.split()) for line in visible_text(pdf.report_html(report))]
    new_text = "\n".join(new_lines)
    flat = " ".join(new_lines)

    sentences = [line for line in old if len(line.split()) >= 4]
    missing = [line for line in sentences if line not in flat]
    assert not missing, f"{language}: sentences of the old PDF missing now:\n" + "\n".join(missing)

    figures = [line for line in old if FIGURE.fullmatch(line)]
    assert figures, "the old text has figures"
    absent = sorted(set(figures) - set(new_lines))
    assert not absent, f"{language}: figures of the old PDF missing now: {absent}"

    rows = [
        *[[d["name"], str(d["score"])] for d in old_report["dimensions"]],
        *[
            [t["name"], str(t["score"]), f"{t['completeness']} %"]
            for d in old_report["dimensions"]
            for t in d["themes"]
        ],
        *[
            [
                f"▲ {g['name']}" if g["large"] else g["name"],
                str(g["politicians"]),
                str(g["administration"]),
                f"{'+' if g['gap'] > 0 else ''}{g['gap']}",
            ]
            for g in old_report["gaps"]
        ],
        *[[b["label"], f"{b['min']}–{b['max']}", b["description"]] for b in old_report["bands"]],
        *[[str(i), a["what"], a["who"]] for i, a in enumerate(old_report["action_plan"], 1)],
    ]
    not_shown = [row for row in rows if "\n".join(row) not in new_text]
    assert not not_shown, f"{language}: rows of figures not shown as rows: {not_shown}"
    # Each dimension's level sits in its row too, after the score.
    for d in old_report["dimensions"]:
        at = new_lines.index(d["name"])
        assert d["band_label"] in new_lines[at + 1 : at + 4], d["name"]


# Sentences of the old layout that issue 14 rewrote (msgids; compared in the report's language).
# The old PDF's own words for what issue 14 renamed, per language, as the old catalogue
# translated them (the msgids are gone from the catalogue, so gettext cannot give them back).
CHANGED_LAYOUT = {
    "nb": (
        "Egenvurdering: rapport til kommunestyret",
        "Antall personer som valgte hvert svar. For spørsmål med tallsvar vises medianen. "
        "Fritekstsvar er ikke tatt med.",
        "Eksempler fra andre kommuner",
    ),
    "en": (
        "Self-assessment report for the municipal council",
        "The number of respondents who chose each answer. Numeric questions show the median. "
        "Free-text answers are not included.",
        "Examples from other municipalities",
    ),
}
# A line that is only a figure: a score, a signed difference or a percentage.
FIGURE = re.compile(r"[+-]?\d+( %)?")


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
