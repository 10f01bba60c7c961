"""Our texts are in our own words: no run of eight or more consecutive words of any seed document
(the research material in ../shared/seeds/) appears in the question bank, the recommendation
library or the templates (issue 13, "Own words").

Words are \\w+ tokens, lowercased; punctuation and YAML/HTML/template markup are ignored, and a
run never crosses from one text (a YAML string, a translatable string) into the next.

Where the seeds come from: ../shared/seeds/ beside the repository when it is there; otherwise
fixtures/seed_shingles.txt, a committed list of hashes of every eight-word run of the seeds (no
seed text, so nothing is copied into the repository). CI checks out the repository alone, so it
uses the hashes; wherever the seeds are present the test also checks that the hashes are up to
date. Regenerate them after the seeds change:

    DJANGO_SECRET_KEY=x .venv/bin/python -m tests.content.test_own_words --write

Every version is checked, the published v1 included (it has no such run: its longest runs shared
with the seeds are six words, e.g. "mobilt bad og soverom på hjul"). Eight words is the line this
test holds; it does not catch close paraphrase, which is for the reader.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.content import (
    FIXTURES,
    REPO_ROOT,
    content_files,
    po_files,
    po_translations,
    template_files,
    template_texts,
    yaml_texts,
)

RUN = 8
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SHINGLES = FIXTURES / "seed_shingles.txt"

# Phrases the seeds share with the law or with names, which our texts may use word for word.
# Each is written as it appears; its eight-word runs are exempt. Keep each one commented.
ALLOWED = [
    # The name of the research project (a proper name, cited as such).
    "Distriktskommune 3.0: Bedre samfunnsutvikling gjennom forenkling av kommuneplanlegging i de"
    " minste kommunene",
    # The title of the final report R-6/23 (cited as a title).
    "Forenkling eller forbedring? Plankultur som grunnlag for strategisk samfunnsutvikling i de"
    " minste kommunene",
    # Plan- og bygningsloven § 1-1 first paragraph, quoted from the law (seed 001 quotes it too).
    "Loven skal fremme bærekraftig utvikling til beste for den enkelte, samfunnet og framtidige"
    " generasjoner",
]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str) -> Iterator[tuple[int, str]]:
    """(position, run) for every run of RUN consecutive words of a text."""
    tokens = words(text)
    for i in range(len(tokens) - RUN + 1):
        yield i, " ".join(tokens[i : i + RUN])


def digest(run: str) -> str:
    return hashlib.blake2b(run.encode(), digest_size=8).hexdigest()


def seed_digests_from(folder: Path) -> set[str]:
    return {
        digest(run)
        for path in sorted(folder.iterdir())
        if path.is_file()
        for _, run in shingles(path.read_text(encoding="utf-8", errors="replace"))
    }


def seed_digests() -> set[str]:
    if SEEDS.is_dir():
        return seed_digests_from(SEEDS)
    if SHINGLES.is_file():
        return set(SHINGLES.read_text(encoding="ascii").split())
    pytest.fail(
        f"The seed documents are needed and neither {SEEDS} nor {SHINGLES} exists. Put the seeds"
        " in ../shared/seeds beside the repository, or restore fixtures/seed_shingles.txt."
    )


_ALLOWED = {digest(run) for phrase in ALLOWED for _, run in shingles(phrase)}


def copied_runs(text: str, seeds: set[str]) -> list[str]:
    """The longest runs of a text made of eight-word runs found in the seeds, as words."""
    tokens = words(text)
    hits = [i for i, run in shingles(text) if digest(run) in seeds and digest(run) not in _ALLOWED]
    runs: list[list[int]] = []
    for i in hits:
        if runs and i <= runs[-1][1]:
            runs[-1][1] = i + RUN
        else:
            runs.append([i, i + RUN])
    return [" ".join(tokens[a:b]) for a, b in runs]


def _content() -> Iterator[tuple[Path, Iterable[str]]]:
    for folder in ("bank", "library"):
        for path in content_files(folder):
            yield path, yaml_texts(path)


def _templates() -> Iterator[tuple[Path, Iterable[str]]]:
    for path in template_files():
        yield path, template_texts(path)
    # The templates' text in nb, nn and en lives in the catalogues.
    for path in po_files():
        yield path, po_translations(path)


def _report(sources: Iterable[tuple[Path, Iterable[str]]], seeds: set[str]) -> list[str]:
    return [
        f"{path.relative_to(REPO_ROOT)}: «{run}»"
        for path, texts in sources
        for text in texts
        for run in copied_runs(text, seeds)
    ]


def test_no_eight_word_run_of_a_seed_in_the_content():
    """The bank and the library in every version, translations included."""
    found = _report(_content(), seed_digests())
    assert not found, "rewrite in our own words:\n" + "\n".join(found)


def test_no_eight_word_run_of_a_seed_in_the_templates():
    found = _report(_templates(), seed_digests())
    assert not found, "rewrite in our own words:\n" + "\n".join(found)


def test_committed_hashes_match_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not here; the committed hashes are used as they are")
    assert SHINGLES.is_file(), "write fixtures/seed_shingles.txt (see the module docstring)"
    committed = set(SHINGLES.read_text(encoding="ascii").split())
    assert committed == seed_digests_from(SEEDS), "the seeds changed: regenerate the hashes"


def test_the_check_finds_a_copied_run():
    seeds = {digest(run) for _, run in shingles("en to tre fire fem seks sju åtte ni ti")}
    assert copied_runs("Vi skrev: «En, to, tre fire fem seks sju åtte ni» – og mer.", seeds) == [
        "en to tre fire fem seks sju åtte ni"
    ]
    # Seven words in a row are not a copied run.
    assert copied_runs("to tre fire fem seks sju åtte", seeds) == []
    # A run of the law's own words (allow-listed) is not reported.
    law = {digest(run) for _, run in shingles(ALLOWED[2])}
    assert copied_runs(ALLOWED[2], law) == []


def test_the_check_finds_a_copied_run_in_a_real_seed():
    seeds = seed_digests()
    if SEEDS.is_dir():
        sample = sorted(SEEDS.iterdir())[0].read_text(encoding="utf-8", errors="replace")
        tokens = words(sample)[:12]
        assert copied_runs("Innleiing: " + " ".join(tokens) + ".", seeds)
    assert len(seeds) > 1000


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(f"usage: python -m tests.content.test_own_words --write  (reads {SEEDS})")
    hashes = sorted(seed_digests_from(SEEDS))
    SHINGLES.write_text("\n".join(hashes) + "\n", encoding="ascii")
    print(f"{SHINGLES}: {len(hashes)} hashes of {RUN}-word runs from {SEEDS}")
