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


def test_example_in_docs_scores(tmp_path, capsys, db, settings):
    call_command("assess_file", str(settings.BASE_DIR / "docs/examples/answers.json"))
    assert json.loads(capsys.readouterr().out)["profile"]["respondents"] == 2


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
