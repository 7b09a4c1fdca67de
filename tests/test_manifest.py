"""Reading data/reports/manifest.csv."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.warehouse.manifest import ManifestError, ManifestRow, find_manifest, key_for, read_manifest

HEADER = "file,body_name,region_code,year,source_url\n"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_reads_rows_keyed_by_relative_file(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER
                  + "anhui/shitai-2023.pdf,石台县人民政府,341722,2023,https://example.org/a\n"
                  + "./fujian\\gulou.html,鼓楼区人民政府,350102,,\n"
                  + "\n"
                  + "plain.txt,,,,\n")
    rows = read_manifest(path)
    assert list(rows) == ["anhui/shitai-2023.pdf", "fujian/gulou.html", "plain.txt"]
    assert rows["anhui/shitai-2023.pdf"] == ManifestRow(
        "anhui/shitai-2023.pdf", "石台县人民政府", "341722", 2023, "https://example.org/a", 2)
    assert rows["fujian/gulou.html"].year is None and rows["fujian/gulou.html"].source_url is None
    assert rows["plain.txt"] == ManifestRow("plain.txt", None, None, None, None, 5)


def test_bom_and_missing_optional_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "file,region_code\na.pdf,341722\n", encoding="utf-8-sig")
    assert read_manifest(path)["a.pdf"].region_code == "341722"


def test_key_for_matches_manifest_keys(tmp_path: Path) -> None:
    (tmp_path / "anhui").mkdir()
    report = tmp_path / "anhui" / "shitai.pdf"
    report.write_bytes(b"")
    path = _write(tmp_path, HEADER + "anhui/shitai.pdf,,,,\n")
    assert key_for(report, tmp_path) in read_manifest(path)
    assert find_manifest(tmp_path).keys() == {"anhui/shitai.pdf"}
    assert find_manifest(tmp_path / "anhui") == {}


@pytest.mark.parametrize(("row", "needle"), [
    ("a.pdf,石台县人民政府,34172,2023,", "region_code '34172'"),
    ("a.pdf,石台县人民政府,３４１７２２,2023,", "region_code"),
    ("a.pdf,石台县人民政府,341722,2023年,", "year '2023年'"),
    ("a.pdf,石台县人民政府,341722,1899,", "year '1899'"),
    (",石台县人民政府,341722,2023,", "empty 'file'"),
    ("../elsewhere.pdf,,,,", "inside the manifest's folder"),
    ("/abs/a.pdf,,,,", "inside the manifest's folder"),
    ("a.pdf,,,,,extra", "more cells"),
])
def test_bad_rows_name_file_and_line(tmp_path: Path, row: str, needle: str) -> None:
    path = _write(tmp_path, HEADER + "ok.pdf,,,,\n" + row + "\n")
    with pytest.raises(ManifestError) as info:
        read_manifest(path)
    assert str(info.value).startswith(f"{path}:3: ")
    assert needle in str(info.value)


def test_duplicate_file_names_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "a.pdf,,,,\nb.pdf,,,,\n./a.pdf,,,,\n")
    with pytest.raises(ManifestError, match=r":4: file 'a.pdf' already listed on line 2"):
        read_manifest(path)


@pytest.mark.parametrize(("header", "needle"), [
    ("body_name,region_code\n", "must include 'file'"),
    ("file,regioncode\n", "unknown column(s) 'regioncode'"),
])
def test_bad_header(tmp_path: Path, header: str, needle: str) -> None:
    path = _write(tmp_path, header + "a.pdf,341722\n")
    with pytest.raises(ManifestError) as info:
        read_manifest(path)
    assert str(info.value).startswith(f"{path}:1: ") and needle in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "a.pdf,石台县人民政府,,,\n", encoding="gb18030")
    with pytest.raises(ManifestError, match="not UTF-8"):
        read_manifest(path)


def test_the_header_is_checked_at_once_and_the_lines_when_first_asked_for(tmp_path: Path) -> None:
    from ingest.warehouse.manifest import parse_manifest

    with pytest.raises(ManifestError, match="unknown column"):
        parse_manifest(_write(tmp_path, "file,regioncode\n"))
    path = _write(tmp_path, HEADER + "a.txt,,3417,,\nb.txt,,,,\n")
    manifest = parse_manifest(path)  # a bad line spoils only its own file, and only when read
    path.write_text(HEADER, encoding="utf-8")  # the bytes read are the ones digested, whatever comes after
    assert list(manifest.rows) == ["b.txt"] and "a.txt" in manifest.errors and ":2: region_code" in manifest.errors["a.txt"]


def test_the_rows_a_warehouse_stores_give_back_the_same_manifest_without_its_lines(tmp_path: Path) -> None:
    from ingest.warehouse.manifest import parse_manifest

    text = (HEADER + "b.txt,石台县人民政府,341722,2023,http://x\n,某单位,,,\na.txt,,3417,,\n../up.txt,,,,\n"
            "c.txt,,,,\n./c.txt,,,,\nd.txt,,,2024,\n")
    read = parse_manifest(_write(tmp_path, text))
    stored = sorted(read.stored_rows(), key=lambda row: row[-1])  # raw.manifest read back in line order
    assert [row[-1] for row in stored] == [2, 3, 4, 5, 7, 8]
    (tmp_path / "manifest.csv").write_text(HEADER, encoding="utf-8")
    taken = parse_manifest(tmp_path / "manifest.csv")
    taken.take(stored)
    assert taken.taken and not read.taken
    assert (taken.rows, taken.errors, taken.unattached) == (read.rows, read.errors, read.unattached)
    assert taken.missing({"b.txt"}) == read.missing({"b.txt"})  # the same lines in the warnings
    read.take([])  # a manifest whose lines were read keeps them
    assert not read.taken and list(read.rows) == ["b.txt", "d.txt"]
