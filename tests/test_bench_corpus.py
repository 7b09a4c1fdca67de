"""The benchmark corpus (tests/render/corpus.py): deterministic, rendered in parallel, and a
smaller corpus is the first files of a larger one, so bench-scale renders the largest once."""
from __future__ import annotations

import filecmp
from pathlib import Path

from tests.render.corpus import copy_prefix, corpus_size, write_corpus


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_smaller_corpus_is_the_prefix_of_a_larger_one(tmp_path: Path) -> None:
    assert write_corpus(tmp_path / "big", 60, years=4) == 60
    assert write_corpus(tmp_path / "small", 22, years=4) == 22
    assert copy_prefix(tmp_path / "big", tmp_path / "copied", 22) == 22
    assert _files(tmp_path / "small") == _files(tmp_path / "copied")
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "small", tmp_path / "copied",
                                               _files(tmp_path / "small"), shallow=False)
    assert not mismatch and not errors and len(match) == 23  # 22 reports and the manifest
    assert corpus_size(tmp_path / "copied") == 22 and corpus_size(tmp_path / "big") == 60


def test_the_corpus_is_deterministic_and_has_every_form(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 80, years=4)
    write_corpus(tmp_path / "b", 80, years=4)
    names = _files(tmp_path / "a")
    assert names == _files(tmp_path / "b")
    assert not filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)[1]
    assert {Path(n).suffix for n in names} >= {".txt", ".html", ".docx", ".csv"}


def test_a_stopped_render_is_not_reused(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 10, years=4)
    next(p for p in (tmp_path / "c").rglob("*_*.*")).unlink()
    assert corpus_size(tmp_path / "c") == 0
    assert corpus_size(tmp_path / "nothing") == 0
