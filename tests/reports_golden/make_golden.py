"""Write the golden files of a closed bank-v1 round, from the code that is checked out.

The golden files record what a report on bank v1 said *before* scoring method 2 existed, so
that tests/reports_golden/test_v1_reproduces.py can prove the new code still says exactly
that. Run this script against the OLD code (the commit before method 2), never against the
code under test, or the test proves nothing:

    git -C /work/main worktree add /tmp/pp-head <old commit>
    cd /tmp/pp-head
    export DJANGO_SECRET_KEY=x DATABASE_URL=sqlite:////tmp/pp-head-db/db.sqlite3
    mkdir -p /tmp/pp-head-db
    /work/main/.venv/bin/python manage.py migrate
    /work/main/.venv/bin/python manage.py load_reference_data
    DJANGO_DEBUG=1 /work/main/.venv/bin/python manage.py compilemessages --ignore=.venv
    /work/main/.venv/bin/python /work/main/tests/reports_golden/make_golden.py \
        --tree /tmp/pp-head --out /work/main/tests/reports_golden
    git -C /work/main worktree remove --force /tmp/pp-head

The compiled catalogues (locale/*/LC_MESSAGES/django.mo) are not in git: without
compilemessages the old checkout reports in English whatever language is asked for, so the
script refuses to run when a catalogue is missing or older than its .po file.

`--tree` is the checkout whose code is imported (default: the repository this file is in);
`--out` is where the JSON files are written (default: this file's folder). Everything the
script writes to the database is rolled back at the end, so it can be run again.

It uses only what the old code already had: assessment.services (answers_save and
respondent_submit, through tests.factories.answer_everything), reports.services.round_close,
reports.report.build_report and reports.pdf.report_html.

The round: Vega (1815), bank version "1", two elected politicians at level 4, two in the
administration at level 2, and one "other" at level 3, whom the privacy rule holds back (a
group of one). One theme has comments (from a politician, an administrator and the held-back
"other", whose comment must not be shown).

The clock is frozen at CLOCK while the round is built and closed, so every timestamp (the
submissions, closed_at, and the report date derived from closed_at) is the same on every run
and the files only change when what the code says changes.

Files written:
- v1_round.json: the frozen snapshot (profile, recommendations, library and bank version,
  headline figures, content hash), the round's municipality/period/round/label/closed_at,
  the respondents (role, submitted_at, comments) and what assessment.selectors.theme_comments
  showed, so the test can rebuild the same round from the database's point of view.
- v1_report_nb.json, v1_report_en.json: {"report": dataclasses.asdict(build_report(...)),
  "pdf_text": the visible text of reports.pdf.report_html(report)}. Nothing is left out: the
  one field that depends on a clock, `report_date`, is built from the stored closed_at (a
  closed round's report is dated the day it closed), which the test restores, so it is kept
  and compared like every other field.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
MUNICIPALITY = "1815"  # Vega
BANK_VERSION = "1"
PERIOD = "2023-2027"
LABEL = ""  # no label: the report shows the round's translated name ("baseline")
CLOCK = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
# (role group, level 1-5, comment on the bank's first theme or None)
RESPONDENTS = [
    ("politician", 4, "Vi mangler tid til planarbeid i kommunestyret."),
    ("politician", 4, None),
    ("administration", 2, "Planstrategien ble vedtatt sent."),
    ("administration", 2, None),
    ("other", 3, "Denne kommentaren skal ikke vises: gruppen er for liten."),
]
LANGUAGES = ("nb", "en")


class _TextOf(HTMLParser):
    """The visible text of an HTML page, one entry per text node (and img alt texts), in
    document order; whitespace collapsed. Markup and inline data (charts' data: URIs, the
    stylesheet) are not content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.chunks.append(f"[img] {' '.join(alt.split())}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.chunks.append(text)


def visible_text(html: str) -> list[str]:
    """Shared with the test: the same extraction on both sides."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return parser.chunks


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    """asdict() output as JSON would store it (tuples become lists), so the file and the
    test's comparison agree on types."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def answer_and_close() -> tuple[Any, Any, list[dict[str, Any]]]:
    """Create the round, answer it and close it with reports.services.round_close, the clock
    frozen at CLOCK. Returns (assessment, snapshot, respondents as dumped). Shared with the
    test, which runs it with the new code to compare what closing freezes now."""
    from assessment.models import Assessment, Municipality, QuestionBank, Theme, ThemeComment
    from assessment.scoring import RoleGroup
    from reports import services as reports_services
    from tests.factories import answer_everything

    bank = QuestionBank.objects.get(version=BANK_VERSION)
    comment_theme = bank.parsed.themes[0].key
    with mock.patch("django.utils.timezone.now", return_value=CLOCK):
        assessment = Assessment.objects.create(
            municipality=Municipality.objects.get(number=MUNICIPALITY),
            bank=bank,
            period=PERIOD,
            round=Assessment.Round.BASELINE,
            label=LABEL,
        )
        respondents = []
        for role, level, comment in RESPONDENTS:
            respondent = answer_everything(assessment, RoleGroup(role), level)
            if comment is not None:
                # answer_everything comments on every theme or none; one theme is wanted.
                # The row is what the wizard's step stores (services.answers_save), written
                # before the round closes, by a submitted respondent.
                ThemeComment.objects.create(
                    respondent=respondent,
                    theme=Theme.objects.get(dimension__bank=bank, key=comment_theme),
                    text=comment,
                )
            respondents.append(
                {
                    "role_group": role,
                    "submitted_at": _iso(respondent.submitted_at),
                    "comments": {comment_theme: comment} if comment is not None else {},
                }
            )
        snapshot = reports_services.round_close(assessment=assessment)
    return assessment, snapshot, respondents


def build_round() -> dict[str, Any]:
    """Create, answer and close the round with the old code; return everything to dump."""
    from django.db import transaction

    from assessment import selectors
    from reports import pdf
    from reports.report import build_report

    out: dict[str, Any] = {}
    with transaction.atomic():
        assessment, snapshot, respondents = answer_and_close()
        assessment.refresh_from_db()
        out["round"] = {
            "municipality": MUNICIPALITY,
            "period": assessment.period,
            "round": assessment.round,
            "label": assessment.label,
            "closed_at": _iso(assessment.closed_at),
            "bank_version": snapshot.bank_version,
            "library_version": snapshot.library_version,
            "profile": snapshot.profile,
            "recommendations": snapshot.recommendations,
            "scores": snapshot.scores,
            "overall": snapshot.overall,
            "completeness": snapshot.completeness,
            "content_hash": snapshot.content_hash,
            "respondents": respondents,
            "theme_comments": selectors.theme_comments(assessment),
        }
        for language in LANGUAGES:
            report = build_report(assessment, language=language)
            out[language] = {
                "report": _jsonable(dataclasses.asdict(report)),
                "pdf_text": visible_text(pdf.report_html(report)),
            }
        transaction.set_rollback(True)  # leave the database as it was
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=HERE.parents[1], help="code to import")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the JSON files")
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import reports.report

    # Guard against importing the wrong checkout (an editable install elsewhere).
    if not Path(reports.report.__file__).resolve().is_relative_to(tree):
        raise SystemExit(f"imported {reports.report.__file__}, not code from {tree}")
    for language in LANGUAGES:
        po = tree / "locale" / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            raise SystemExit(f"{mo} is missing or older than {po.name}: run compilemessages")
    out = build_round()
    files = {
        "v1_round.json": out["round"],
        **{f"v1_report_{lang}.json": out[lang] for lang in LANGUAGES},
    }
    for name, data in files.items():
        path = args.out / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
