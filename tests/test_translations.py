"""The nb, nn and en catalogues are complete, compile, and cover every string in the code."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALES = ("nb", "nn", "en")


def _problems(po: Path) -> list[str]:
    found = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        msgids = [line for line in out.splitlines() if line.startswith("msgid ")]
        # The first msgid of any output is the catalogue header.
        found += [f"{flag[2:]}: {line}" for line in msgids[1:]]
    return found


@pytest.mark.parametrize("language", LOCALES)
def test_catalogue_compiles_and_is_complete(language):
    po = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    assert not _problems(po)


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the code adds nothing new and leaves nothing fuzzy."""
    for name in ("assessment", "guidance", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / name, tmp_path / name)
    target = tmp_path / "locale" / "nb" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES" / "django.po", target)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["nb"], verbosity=0, no_location=True)
    finally:
        os.chdir(cwd)
    problems = _problems(target / "django.po")
    assert not problems, f"run `make messages-update` and translate: {problems[:10]}"


def _texts(node, path="$"):
    """Every {nb, nn?, en?} text mapping in a bank or library document, with its path."""
    if isinstance(node, dict):
        if "nb" in node and set(node) <= set(LOCALES):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


def test_question_bank_and_library_exist_in_all_three_languages():
    from assessment.bank import read_bank_file
    from guidance.library import read_library_file

    root = Path(settings.BASE_DIR) / "fixtures"
    documents = {
        "bank": read_bank_file(root / "bank" / "v1.yaml").document,
        "library": read_library_file(root / "library" / "v1.yaml"),
    }
    missing = [
        f"{name}{path}: {language}"
        for name, document in documents.items()
        for path, text in _texts(document)
        for language in LOCALES
        if not str(text.get(language) or "").strip()
    ]
    counted = sum(1 for document in documents.values() for _ in _texts(document))
    assert counted > 600
    assert not missing, missing[:20]
