"""Printing styles: how a report prints its numbers and lays out its text, HTML or DOCX.

Every style keeps the record exactly recoverable: a zero may print as an empty cell, `/`, `—` or
`无` (all mean none), digits may be full-width, counts may carry thousands separators, a 件
suffix or stray spaces, but no style changes what a cell means.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace

from tests.render.records import Source

ZEROS = ("0", "", "/", "—", "－", "无")
PADS = ("", " ", "\u3000", "\xa0")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Style:
    # --- numbers (every form)
    zero: str = "0"              # what a zero prints as
    zero_mixed: bool = False     # some zeros print as "0" anyway
    fullwidth: bool = False      # １９ instead of 19
    thousands: bool = False      # 4,462 instead of 4462
    suffix: str = ""             # "件" after Table 3 / Table 4 counts
    pad: str = ""                # stray spaces around values
    fee_2dp: bool = True         # fees always with two decimals (1003.30) or as short as possible
    plus_sign: bool = False      # 2019 本年增/减 positive values as +4
    yuan_suffix: bool = True     # 2019 采购总金额 printed with 元
    # --- labels and prose (every form)
    label_variants: bool = False  # use seeds/label_variants.csv wordings
    wrap_headers: bool = True    # 商业/企业 on two lines, as the official template prints them
    wrap_labels: bool = False    # long row labels broken over two lines inside their cell
    subtotal: str = ""           # "before" / "after": a 小计 column for 法人或其他组织 (text and HTML)
    title_form: int = 0          # 0: X2024年政府…报告, 1: X2024年度政府…报告
    indent: str = ""             # paragraph indentation
    narrative: bool = True       # prose sections with numbers of their own
    seed: int = 0                # per-cell choices (mixed zeros, residue placement, run splits)
    # --- text
    text_layout: str = "word_paste"   # word_paste: one cell per line; tab_rows: one row per line
    goback: bool = False         # "[bookmark: _GoBack]" residue glued to one value
    encoding: str = "utf-8"      # utf-8, utf-8-sig, gb18030
    newline: str = "\n"
    # --- html
    cell_wrap: str = "p"         # bare, p, span, p_span
    nbsp: bool = False           # &nbsp; padding and &nbsp;-only empty cells
    one_table: bool = False      # Tables 2-4 in one <table> with heading rows
    wrapper_table: bool = False  # the whole article inside a layout table
    charset: str = "utf-8"       # utf-8 or gb2312 (encoded as GBK)
    # --- docx
    split_runs: bool = False     # a value split over two runs
    tracked: bool = False        # values as tracked insertions next to a tracked deletion
    sdt: bool = False            # Table 3 inside a content control, values in run-level controls
    core_title: bool = False     # title also in docProps/core.xml
    long_narrative: int = 0      # extra prose paragraphs before Table 3 (pushes it over a page)

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")


def digits(text: str, style: Style) -> str:
    return text.translate(_FULLWIDTH) if style.fullwidth else text


def _zero(style: Style, where: str) -> str:
    if style.zero_mixed and style.rng(where).random() < 0.5:
        return "0"
    return style.zero


def _pad(text: str, style: Style) -> str:
    return f"{style.pad}{text}{style.pad}" if text and style.pad else text


def _grouped(number: int, style: Style) -> str:
    return f"{number:,}" if style.thousands else str(number)


def fmt_count(value: int, style: Style, where: str, suffix: bool = False) -> str:
    """A whole count as printed; `where` names the cell for per-cell choices."""
    if value == 0:
        zero = _zero(style, where)
        if zero != "0":
            return _pad(zero, style)
    text = digits(_grouped(value, style), style)
    return _pad(text + (style.suffix if suffix else ""), style)


def fmt_signed(value: int, style: Style, where: str) -> str:
    if value == 0:
        return fmt_count(0, style, where)
    sign = "-" if value < 0 else ("+" if style.plus_sign else "")
    return _pad(sign + digits(_grouped(abs(value), style), style), style)


def fmt_amount(value: float, style: Style, where: str, unit: str = "") -> str:
    """A decimal amount (fees in 万元, procurement in 元) with at most two decimals."""
    if value == 0:
        zero = _zero(style, where)
        if zero != "0":
            return _pad(zero, style)
    text = f"{value:.2f}"
    if not style.fee_2dp:
        text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    whole = _grouped(int(whole), style)
    text = digits(whole + ("." + frac if frac else ""), style)
    return _pad(text + unit, style)


FORMS = ("text", "html", "docx")


def random_style(rng_or_draw, form: str, **fixed) -> Style:
    """A random style for one form; takes a `random.Random` or a hypothesis `draw`.

    Keyword arguments fix fields (e.g. text_layout="tab_rows") after the random choices."""
    src = Source(rng_or_draw)
    common = dict(
        zero=src.choice(ZEROS), zero_mixed=src.chance(20), fullwidth=src.chance(15),
        thousands=src.chance(30), suffix=src.choice(("", "", "件")), pad=src.choice(PADS),
        fee_2dp=src.chance(70), plus_sign=src.chance(50), yuan_suffix=src.chance(60),
        label_variants=src.chance(30), wrap_headers=src.chance(60), wrap_labels=src.chance(25),
        subtotal=src.choice(("", "", "", "before", "after")) if form != "docx" else "", title_form=src.int(0, 1),
        indent=src.choice(("", "\u3000\u3000", "    ")), narrative=src.chance(80), seed=src.int(0, 9999),
    )
    if form == "text":
        extra = dict(text_layout=src.choice(("word_paste", "tab_rows")), goback=src.chance(30),
                     encoding=src.choice(("utf-8", "utf-8-sig", "gb18030")), newline=src.choice(("\n", "\r\n")))
    elif form == "html":
        extra = dict(cell_wrap=src.choice(("bare", "p", "span", "p_span")), nbsp=src.chance(40),
                     one_table=src.chance(25), wrapper_table=src.chance(25),
                     charset=src.choice(("utf-8", "gb2312")))
    elif form == "docx":
        extra = dict(split_runs=src.chance(30), tracked=src.chance(20), sdt=src.chance(20),
                     core_title=src.chance(50))
    else:
        raise ValueError(f"unknown form {form!r}")
    return replace(Style(**common, **extra), **fixed)


def styles(form: str, **fixed):
    """Hypothesis strategy for styles of one form, with some fields fixed."""
    from hypothesis import strategies as st

    @st.composite
    def _styles(draw):
        return random_style(draw, form, **fixed)

    return _styles()


def describe(style: Style) -> str:
    """The fields that differ from the default style, for failure messages."""
    default = Style()
    return ", ".join(f"{f.name}={getattr(style, f.name)!r}" for f in fields(Style)
                     if getattr(style, f.name) != getattr(default, f.name)) or "default"
