import json

import pytest
from django.core.management import CommandError, call_command

from assessment.answers_file import responses_from
from assessment.scoring import score


def _write(tmp_path, data) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


GOOD = {
    "municipality": "1815",
    "bank_version": "1",
    "respondents": [
        {
            "role": "administration",
            "answers": {"ps_adopted": "yes", "ps_active_use": 4, "kb_updated": "dont_know"},
        },
        {"role": "administration", "answers": {"ps_adopted": "no", "ps_active_use": 2}},
        {"role": "politician", "answers": {"ps_adopted": "no", "re_fte": 1.5}},
    ],
}


def test_prints_profile_json_and_writes_file(tmp_path, capsys, bank):
    out = tmp_path / "profile.json"
    call_command("assess_file", _write(tmp_path, GOOD), "--json", str(out))
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(out.read_text())
    assert printed["municipality"] == {"number": "1815", "name": "Vega"}
    expected = score(bank.spec, responses_from(bank, GOOD)).to_dict()
    assert printed["profile"] == json.loads(json.dumps(expected))
    assert printed["profile"]["dont_know"] == 1
    # The lone politician is in no figure (assessment/privacy.py): only counted as held back.
    assert printed["profile"]["held_back"] == {"politician": 1}
    assert printed["profile"]["respondents"] == 2


def test_json_never_shows_what_one_person_answered(tmp_path, capsys, bank):
    """Politician-only questions answered by one politician: no counts, no scores."""
    politician_only = [q.key for q in bank.questions.values() if q.audience.value == "politician"]
    assert politician_only
    data = {
        "municipality": "1815",
        "bank_version": "1",
        "respondents": [
            {"role": "politician", "answers": dict.fromkeys(politician_only, 5)},
            {"role": "administration", "answers": {"ps_adopted": "yes"}},
            {"role": "administration", "answers": {"ps_adopted": "no"}},
        ],
    }
    call_command("assess_file", _write(tmp_path, data), "--json", str(tmp_path / "out.json"))
    profile = json.loads(capsys.readouterr().out)["profile"]
    for key in politician_only:
        assert key not in profile["answer_counts"]
    for theme in profile["themes"]:
        for group in theme["groups"]:
            assert group["role"] != "politician"
    assert profile["answer_counts"]["ps_adopted"] == {"yes": 1, "no": 1}


def test_example_in_docs_scores(tmp_path, capsys, db, settings):
    call_command("assess_file", str(settings.BASE_DIR / "docs/examples/answers.json"))
    assert json.loads(capsys.readouterr().out)["profile"]["respondents"] == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("municipality"), "'municipality': missing"),
        (lambda d: d.update(municipality="9999"), "'municipality'"),
        (lambda d: d.update(bank_version="77"), "'bank_version'"),
        (lambda d: d.update(respondents=[]), "'respondents'"),
        (lambda d: d["respondents"][0].update(role="mayor"), "respondents[0].role"),
        (lambda d: d["respondents"][1]["answers"].update(nope=3), "respondents[1].answers.nope"),
        (
            lambda d: d["respondents"][0]["answers"].update(ps_adopted="maybe"),
            "respondents[0].answers.ps_adopted",
        ),
        (
            lambda d: d["respondents"][0]["answers"].update(ps_active_use=6),
            "respondents[0].answers.ps_active_use",
        ),
        (
            lambda d: d["respondents"][0]["answers"].update(re_fte="many"),
            "respondents[0].answers.re_fte",
        ),
        (lambda d: d["respondents"][0]["answers"].update(re_fte=1000), "out of range"),
    ],
)
def test_bad_file_names_the_offending_key(tmp_path, db, change, message):
    data = json.loads(json.dumps(GOOD))
    change(data)
    with pytest.raises(CommandError) as excinfo:
        call_command("assess_file", _write(tmp_path, data))
    assert message in str(excinfo.value)


def test_not_json(tmp_path, db):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("assess_file", str(path))


def test_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("assess_file", str(tmp_path / "nope.json"))


# --- hostile and broken files: a clear error naming the problem, never a traceback ----------

# Its own data, independent of GOOD above: the paths in the messages depend on the layout.
HOSTILE_BASE = {
    "municipality": "1815",
    "bank_version": "1",
    "respondents": [
        {
            "role": "administration",
            "answers": {"ps_adopted": "yes", "ps_active_use": 4, "kb_updated": "dont_know"},
        },
        {"role": "politician", "answers": {"ps_adopted": "no", "re_fte": 1.5}},
    ],
}
GOOD_JSON = json.dumps(HOSTILE_BASE)


def _write_text(tmp_path, text: str, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _error(path: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("assess_file", path)
    return str(excinfo.value)


def _deep(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # NaN and Infinity are not JSON numbers, though Python's reader takes them.
        (GOOD_JSON.replace("1.5", "NaN"), "respondents[1].answers.re_fte: nan is not a number"),
        (GOOD_JSON.replace("1.5", "Infinity"), "respondents[1].answers.re_fte: inf"),
        (GOOD_JSON.replace("1.5", "-Infinity"), "respondents[1].answers.re_fte: -inf"),
        (GOOD_JSON.replace("1.5", "1e999"), "respondents[1].answers.re_fte: inf"),
        (GOOD_JSON.replace("1.5", '"NaN"'), "respondents[1].answers.re_fte: expected a number"),
        (GOOD_JSON.replace("1.5", '"-Infinity"'), "re_fte: expected a number"),
        (GOOD_JSON.replace('"1815"', "1" * 5000), "a number is too long"),
        # Nesting: far too deep for the parser, and deeper than any answers file needs.
        (_deep(100_000), "nested deeper than"),
        (GOOD_JSON.replace("1.5", _deep(50)), "respondents[1].answers.re_fte[0][0]"),
        # Lone surrogates (valid JSON escapes, not Unicode characters), and NUL.
        (GOOD_JSON.replace('"no"', '"\\ud800"'), "respondents[1].answers.ps_adopted: contains a"),
        (GOOD_JSON.replace('"re_fte"', '"\\udfff"'), "lone surrogate (\\udfff)"),
        (GOOD_JSON.replace('"1815"', '"1815\\u0000"'), "municipality: contains a NUL"),
        # Duplicate keys, at every level: the last one used to win silently.
        (
            GOOD_JSON.replace('{"municipality"', '{"municipality": "1151", "municipality"'),
            "top level: duplicate key 'municipality'",
        ),
        (
            GOOD_JSON.replace('{"role": "politician"', '{"role": "other", "role": "politician"'),
            "respondents[1]: duplicate key 'role'",
        ),
        (
            GOOD_JSON.replace('"ps_adopted": "no"', '"ps_adopted": "yes", "ps_adopted": "no"'),
            "respondents[1].answers: duplicate key 'ps_adopted'",
        ),
        ("", "not valid JSON (line 1"),
        ("[]", "top level: expected an object"),
        (GOOD_JSON.replace('"1815"', '{"n": "1815"}'), "'municipality': expected text"),
    ],
    ids=[
        "nan", "infinity", "minus-infinity", "overflow", "nan-text", "infinity-text",
        "huge-int", "deep-parser", "deep", "surrogate-value", "surrogate-key", "nul",
        "duplicate-top", "duplicate-respondent", "duplicate-answer", "empty", "array",
        "municipality-object",
    ],
)  # fmt: skip
def test_hostile_json_file_gives_a_clear_error(tmp_path, db, text, message):
    assert message in _error(_write_text(tmp_path, text))


def test_invalid_utf8_names_the_line_and_byte(tmp_path, db):
    path = tmp_path / "answers.json"
    path.write_bytes(
        GOOD_JSON.replace("[", "[\n", 1).replace('"yes"', '"y\xe9s"').encode("latin-1")
    )
    assert "not valid UTF-8 (line 2: byte 0xe9)" in _error(str(path))


def test_byte_order_mark_is_accepted(tmp_path, capsys, db):
    path = tmp_path / "answers.json"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_JSON.encode())
    call_command("assess_file", str(path))
    assert json.loads(capsys.readouterr().out)["municipality"]["number"] == "1815"


def test_a_folder_is_not_a_file(tmp_path, db):
    assert "is a folder" in _error(str(tmp_path))


GOOD_YAML = """\
municipality: "1815"
bank_version: "1"
respondents:
  - role: administration
    answers:
      ps_adopted: yes
      ps_active_use: 4
      kb_updated: dont_know
  - role: politician
    answers:
      ps_adopted: no
      re_fte: 1.5
"""


def test_yaml_file_scores_like_json(tmp_path, capsys, db):
    call_command("assess_file", _write_text(tmp_path, GOOD_JSON))
    from_json = json.loads(capsys.readouterr().out)
    call_command("assess_file", _write_text(tmp_path, GOOD_YAML, "answers.yaml"))
    assert json.loads(capsys.readouterr().out) == from_json  # yes/no stay text in YAML


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_YAML.replace("1.5", ".nan"), "respondents[1].answers.re_fte: nan is not a number"),
        (GOOD_YAML.replace("1.5", "-.inf"), "respondents[1].answers.re_fte: -inf"),
        (GOOD_YAML.replace('bank_version: "1"\n', 'bank_version: "1"\nmunicipality: "1151"\n'),
         "top level: duplicate key 'municipality'"),
        (GOOD_YAML.replace("  - role: politician\n", "  - role: politician\n    role: other\n"),
         "respondents[1]: duplicate key 'role'"),
        (GOOD_YAML.replace("      re_fte: 1.5\n", "      re_fte: 1.5\n      re_fte: 2\n"),
         "respondents[1].answers: duplicate key 're_fte'"),
        (GOOD_YAML.replace("ps_adopted: no", 'ps_adopted: "\\ud800"'), "lone surrogate"),
        (GOOD_YAML.replace('"1815"', '"18\\x0015"'), "municipality: contains a NUL"),
        (GOOD_YAML.replace("1.5", "[" * 5000 + "]" * 5000), "nested deeper than"),
        (GOOD_YAML.replace("1.5", "[" * 30 + "]" * 30), "respondents[1].answers.re_fte[0]"),
        (GOOD_YAML.replace("ps_active_use: 4", "ps_active_use: &a 4")
         .replace("re_fte: 1.5", "re_fte: *a"), "line 12: aliases (*name) are not allowed"),
        ("a: [1\n", "not valid YAML (line 2"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
        ("? [1, 2]\n: x\n", "not valid YAML"),
    ],
    ids=[
        "nan", "infinity", "duplicate-top", "duplicate-respondent", "duplicate-answer",
        "surrogate", "nul", "deep-parser", "deep", "alias", "syntax", "two-documents",
        "list-key",
    ],
)  # fmt: skip
def test_hostile_yaml_file_gives_a_clear_error(tmp_path, db, text, message):
    assert message in _error(_write_text(tmp_path, text, "answers.yml"))


def test_manage_py_exits_1_with_the_message_and_no_traceback(tmp_path):
    """The real command line: status 1, one line naming the problem, no traceback (a
    RecursionError from the JSON parser used to end in one)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    # One case (the in-process tests cover the rest): Django's start-up takes seconds.
    cases = {"deep.json": _deep(100_000)}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    env |= {"DJANGO_SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "config.settings"}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "manage.py", "assess_file", str(path)],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1, (name, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("CommandError: "), done.stderr


# --- bank v2: the plan register and what the report says ------------------------------------


def _v2_example(settings) -> dict:
    return json.loads((settings.BASE_DIR / "docs/examples/answers-v2.json").read_text("utf-8"))


def test_v2_example_prints_what_the_report_says(tmp_path, capsys, db, settings):
    call_command("assess_file", _write(tmp_path, _v2_example(settings)), "--language", "en")
    out = json.loads(capsys.readouterr().out)
    report = out["report"]
    assert out["profile"]["method"] == 2
    assert report["language"] == "en"
    strengths = {t["theme"] for t in report["strengths"]}
    development = {t["theme"] for t in report["development_areas"]}
    assert development and not strengths & development
    assert [r["rank"] for r in report["recommendations"]] == list(
        range(1, len(report["recommendations"]) + 1)
    )
    assert all(r["reason"] and r["why"] for r in report["recommendations"])
    register = {r["fact"]: r for r in report["register"]}
    assert register["strategy_adopted"]["status"] == "Adopted 12.09.2024, on time"
    assert register["delegation_adopted"]["points"] == 0  # due 31.12.2024, judged 29.11.2025
    assert register["plan_count"]["points"] is None


def test_v2_register_not_yet_due_on_the_files_date(tmp_path, capsys, db, settings):
    data = _v2_example(settings) | {"date": "2024-06-01"}
    call_command("assess_file", _write(tmp_path, data))
    facts = json.loads(capsys.readouterr().out)["profile"]["register"]
    assert facts["delegation_adopted"]["status"] == "not_due"
    assert facts["delegation_adopted"]["score"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period": "soon"}, "'period'"),
        ({"date": "29.11.2025"}, "'date'"),
        ({"register": {"strategy_adopted": "last spring"}}, "'register.strategy_adopted'"),
        ({"register": {"action_part": "glued"}}, "'register.action_part'"),
        ({"register": {"youth_council": "yes"}}, "'register.youth_council'"),
        ({"register": {"plan_count": 2.5}}, "'register.plan_count'"),
        ({"register": {"budget": 1}}, "unknown facts"),
        ({"register": []}, "'register': expected an object"),
    ],
)
def test_v2_register_errors_name_the_key(tmp_path, db, settings, change, message):
    with pytest.raises(CommandError, match=message):
        call_command("assess_file", _write(tmp_path, _v2_example(settings) | change))
