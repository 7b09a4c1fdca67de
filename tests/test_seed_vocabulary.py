"""The seeds are the parser's one vocabulary: a line added to a seed changes the parse, with no
change to the code. The package and its seeds are copied to a temporary folder, the report is
parsed there by `xxgk parse` before and after the seed edit."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.gold import FIXTURES, compare, load_gold

ROOT = Path(__file__).resolve().parent.parent
SEED = (FIXTURES / "corpus" / "shitai_2024_word_paste.txt").read_text(encoding="utf-8")
GOLD = load_gold("shitai_2024_word_paste")

# file -> (the report printed with a wording the seeds do not know yet, seed file, line to add)
VARIANTS = {
    "null_marker.txt": (re.sub(r"(?m)^\t0$", "\t空", SEED), "null_markers.csv", "空,empty (a new null marker)"),
    "unit.txt": (re.sub(r"(?m)^\t([1-9]\d*)$", r"\t\1宗", SEED), "unit_suffixes.csv", "宗,,,cases"),
    "residue.txt": (re.sub(r"(?m)^\t([1-9]\d*)$", r"\t\1†", SEED), "word_residue.csv", "†,a dagger beside a figure"),
    "section.txt": (SEED.replace("主动公开政府信息情况", "政府信息主动公开情况"), "sections.csv",
                    "2,二,2,政府信息主动公开情况,a new heading wording"),
}


def _parse(home: Path, files: list[Path]) -> dict[str, dict]:
    env = {**os.environ, "PYTHONPATH": str(home)}
    out = subprocess.run([sys.executable, "-m", "ingest.cli", "parse", *map(str, files)], cwd=home, env=env,
                         capture_output=True, text=True, check=False)
    assert out.stderr == ""
    return {Path(rec["file"]).name: rec for rec in map(json.loads, out.stdout.splitlines())}


def test_a_seed_line_changes_the_parse_without_a_code_change(tmp_path: Path) -> None:
    home = tmp_path / "project"
    shutil.copytree(ROOT / "ingest", home / "ingest", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "seeds", home / "seeds")
    files = []
    for name, (text, _, _) in VARIANTS.items():
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    before = _parse(home, files)
    for name, rec in before.items():
        wrong, missed = compare(rec, GOLD)
        assert wrong == [] and len(missed) >= 10, name  # unread, never misread
    for _, seed, line in VARIANTS.values():
        with open(home / "seeds" / seed, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    after = _parse(home, files)
    for name, rec in after.items():
        assert compare(rec, GOLD) == ([], []), name
    assert (ROOT / "ingest").resolve() != (home / "ingest").resolve()
