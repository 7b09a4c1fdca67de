"""The real corpus parses to its hand-checked gold values, through the `xxgk parse` command."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.extract.cellkeys import cell_values
from tests.gold import FIXTURES, compare, load_gold

EXACT = ["shitai_2024_word_paste.txt", "pingtan_2024_page.html", "huaian_hongze_2023.pdf"]
FLAT = ["pingtan_2019_flat.txt", "pingtan_2021_flat.txt", "pingtan_2022_flat.txt", "pingtan_2024_flat.txt",
        "pingtan_haitan_2023.txt", "pingtan_shichang_2025.txt"]


def xxgk_parse(*paths: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "ingest.cli", "parse", *map(str, paths)],
                         capture_output=True, text=True, check=False)
    assert out.stderr == ""
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.mark.parametrize("name", EXACT)
def test_exact_sources_match_gold_in_every_cell(name: str) -> None:
    [rec] = xxgk_parse(FIXTURES / "corpus" / name)
    gold = load_gold(Path(name).stem)
    wrong, missed = compare(rec, gold)
    assert (wrong, missed) == ([], [])
    assert (rec["body_name"], rec["year"], rec["layout"]) == (gold["body_name"], gold["year"], gold["layout"])


@pytest.mark.parametrize("name", FLAT)
def test_flattened_text_never_gives_a_wrong_number(name: str) -> None:
    [rec] = xxgk_parse(FIXTURES / "corpus" / name)
    gold = load_gold(Path(name).stem)
    wrong, missed = compare(rec, gold)
    assert wrong == []
    assert rec["layout"] == gold["layout"] and rec["year"] == gold["year"]
    for key in missed:  # every cell left null is named in a warning
        code = key.split(".")[1]
        assert any(code in w for w in rec["warnings"]), key


def test_flattened_table3_and_table4_are_complete() -> None:
    """Table 3 and 4 runs are settled by the format's sums: no cell of theirs is left null."""
    for name in FLAT:
        [rec] = xxgk_parse(FIXTURES / "corpus" / name)
        _, missed = compare(rec, load_gold(Path(name).stem))
        assert [k for k in missed if not k.startswith("table2.")] == [], name


def test_the_whole_corpus_in_one_batch_leaves_null_only_what_it_lists_as_uncertain() -> None:
    """Narrative figures and the HTML page of the same 2024 report settle what they can; every
    cell still null is one of several splits the document cannot tell apart, says so, and the
    true value is among the splits it lists. Body, year and both layouts are right everywhere."""
    records = xxgk_parse(*(FIXTURES / "corpus" / name for name in EXACT + FLAT))
    missed_in_all = 0
    for rec in records:
        gold = load_gold(Path(rec["file"]).stem)
        wrong, missed = compare(rec, gold)
        assert wrong == [], rec["file"]
        assert set(missed) <= set(rec["uncertain"]), rec["file"]
        truth = cell_values(gold)
        for amb in rec["ambiguous"]:
            values = [truth[key] for key in amb["cells"]]
            assert None in values or values in amb["options"], (rec["file"], amb["run"])
        assert (rec["body_name"], rec["year"], rec["layout"]) == (gold["body_name"], gold["year"], gold["layout"])
        assert rec["table3_layout"] == ("2019" if "other_single" in gold["table3"] else "2021"), rec["file"]
        missed_in_all += len(missed)
    # 2019: seven three-cell rows with no sum (19 cells); 2021: 693665 (69|3|665 or 6|93|665 ...)
    assert missed_in_all == 22
