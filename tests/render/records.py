"""Random canonical records that obey the format's identities, for round-trip tests and benchmarks.

`random_record(src, layout)` takes either a `random.Random` or a hypothesis `draw` function, so the
same generator serves seeded benchmarks and shrinking property tests (`records()` strategy).
A record has the `xxgk parse` shape: body_name, year, layout, table2 {code: value},
table3 {row: {column: value}}, table4 {code: value}, uncertain [].
"""
from __future__ import annotations

import random
from typing import Any, Callable

from ingest.spec import spec

RECORD_KEYS = ("body_name", "year", "layout", "table2", "table3", "table4", "uncertain")

# Body names are built from a place and an office; several places repeat across provinces on
# purpose (鼓楼区, 西湖区, 和平区), as they do in real life.
PLACES = ("石台县", "平潭综合实验区", "鼓楼区", "南京市鼓楼区", "杭州市西湖区", "南昌市西湖区", "和平区",
          "黄山市", "安徽省", "徐州市", "开封市", "福州市仓山区", "青阳县", "江宁区", "长沙县", "滨海新区",
          "上城区", "屯溪区", "祁门县", "东至县", "天津市", "沈阳市和平区", "宁德市蕉城区")
OFFICES = ("人民政府", "人民政府办公室", "教育局", "财政局", "公安局", "自然资源和规划局", "市场监督管理局",
           "卫生健康委员会", "住房和城乡建设局", "生态环境局", "交通运输局", "民政局", "审计局",
           "人力资源和社会保障局", "城市管理局", "农业农村局", "", "管理委员会")


class Source:
    """Randomness from a `random.Random` or from a hypothesis `draw` (then every choice shrinks)."""

    def __init__(self, rng_or_draw: random.Random | Callable[[Any], Any] | "Source") -> None:
        if isinstance(rng_or_draw, Source):
            self.rng, self.draw = rng_or_draw.rng, rng_or_draw.draw
        elif isinstance(rng_or_draw, random.Random):
            self.rng, self.draw = rng_or_draw, None
        else:
            self.rng, self.draw = None, rng_or_draw

    def int(self, lo: int, hi: int) -> int:
        if self.rng is not None:
            return self.rng.randint(lo, hi)
        from hypothesis import strategies as st

        return self.draw(st.integers(lo, hi))

    def choice(self, seq):
        seq = tuple(seq)
        return seq[self.int(0, len(seq) - 1)]

    def chance(self, percent: int) -> bool:
        """True with `percent` % probability; shrinks towards False."""
        return self.int(0, 99) >= 100 - percent

    def count(self, digits: int, zero_percent: int = 50) -> int:
        """A count that is often 0 and otherwise spans 1..`digits` decimal digits."""
        if not self.chance(100 - zero_percent):
            return 0
        return self.int(1, 10 ** self.int(1, digits) - 1)


def random_record(rng_or_draw, layout: str = "2021") -> dict:
    """A consistent random record: T3 rows and columns balance, T4 blocks sum, fees have 2 places."""
    src = Source(rng_or_draw)
    sp = spec(layout)
    place = src.choice(PLACES)
    body = place + src.choice(OFFICES)
    year = src.int(2021, 2025) if layout == "2021" else src.int(2019, 2020)
    return {
        "body_name": body,
        "year": year,
        "layout": layout,
        "table2": _table2(src, sp),
        "table3": _table3(src, sp),
        "table4": _table4(src, sp),
        "uncertain": [],
    }


def _money(src: Source, max_digits: int) -> float:
    if not src.chance(80):
        return 0.0
    cents = src.int(1, 10 ** src.int(1, max_digits + 2) - 1)
    return round(cents / 100, 2)


def _table2(src: Source, sp) -> dict:
    out: dict[str, int | float] = {}
    for row in sp.t2_rows:
        for code, kind, unit in zip(row.codes, row.kinds, row.units):
            if kind == "count":
                out[code] = src.count(4 if unit == "documents" else 6, zero_percent=30)
            elif kind == "signed":
                out[code] = src.count(4, zero_percent=50) * src.choice((1, -1))
            else:  # amount: fees in 万元 or procurement in 元, two decimal places
                out[code] = _money(src, 6 if unit == "wan_yuan" else 9)
    return out


def _table3(src: Source, sp) -> dict:
    columns = sp.t3_columns[:-1]  # the six applicant columns; `total` is their sum
    flow = {"new_received", "carried_over", "total_processed", "carried_forward"}
    outcome_rows = [r.code for r in sp.t3_rows if r.code not in flow]
    table: dict[str, dict[str, int]] = {r.code: {} for r in sp.t3_rows}
    for i, col in enumerate(columns):
        active = src.chance(90 if i == 0 else 35)
        for code in outcome_rows:
            table[code][col] = src.count(4 if i == 0 else 2, zero_percent=60) if active else 0
        processed = sum(table[code][col] for code in outcome_rows)
        forward = src.count(2, zero_percent=70) if active else 0
        carried = src.int(0, processed + forward) if active and src.chance(30) else 0
        table["total_processed"][col] = processed
        table["carried_forward"][col] = forward
        table["carried_over"][col] = carried
        table["new_received"][col] = processed + forward - carried
    for values in table.values():
        values["total"] = sum(values[c] for c in columns)
    return table


def _table4(src: Source, sp) -> dict:
    out: dict[str, int] = {}
    active = src.chance(60)
    for block in sp.t4_blocks:
        parts = [f"{block}_{o}" for o in sp.t4_outcomes if o != "total"]
        for code in parts:
            out[code] = src.count(2, zero_percent=65) if active else 0
        out[f"{block}_total"] = sum(out[c] for c in parts)
    return {code: out[code] for code in sp.t4_codes}


def records(layout: str | None = None):
    """Hypothesis strategy for consistent records (both layouts unless one is given)."""
    from hypothesis import strategies as st

    @st.composite
    def _records(draw):
        chosen = layout or draw(st.sampled_from(("2021", "2019")))
        return random_record(draw, chosen)

    return _records()


def comparable(record: dict) -> dict:
    """The part of a parse record a round trip must reproduce, with amounts rounded to 6 places."""
    out = {key: record.get(key) for key in RECORD_KEYS}
    if out["uncertain"] is None:
        out["uncertain"] = []
    t2 = out.get("table2")
    if isinstance(t2, dict):
        out["table2"] = {k: round(v, 6) if isinstance(v, float) else v for k, v in t2.items()}
    return out


def differences(got: dict, want: dict) -> list[str]:
    """Human-readable cell-by-cell differences between a parse record and the rendered record."""
    got, want = comparable(got), comparable(want)
    out: list[str] = []
    for key in ("body_name", "year", "layout", "uncertain"):
        if got[key] != want[key]:
            out.append(f"{key}: got {got[key]!r}, want {want[key]!r}")
    for table in ("table2", "table4"):
        g, w = got.get(table) or {}, want[table]
        for code in dict.fromkeys([*w, *g]):
            if g.get(code) != w.get(code):
                out.append(f"{table}.{code}: got {g.get(code)!r}, want {w.get(code)!r}")
    g3, w3 = got.get("table3") or {}, want["table3"]
    for row in dict.fromkeys([*w3, *g3]):
        gr, wr = g3.get(row) or {}, w3.get(row) or {}
        for col in dict.fromkeys([*wr, *gr]):
            if gr.get(col) != wr.get(col):
                out.append(f"table3.{row}.{col}: got {gr.get(col)!r}, want {wr.get(col)!r}")
    return out
