"""Body and year from the report's title, in the forms real reports print it:

- body, then year: `石台县人民政府2024年政府信息公开工作年度报告` (年度, 政府 and 工作 may be
  missing, spaces anywhere: `2024 年`);
- year first: `2019年上海市人民政府办公厅政府信息公开工作年度报告`;
- body and year on two lines: `淮安市洪泽区人民政府` / `2024 年政府信息公开工作年度报告`;
- in a PDF's or DOCX's metadata title (the reader repairs mis-decoded UTF-16);
- a title without the body (`2023年政府信息公开工作年度报告`): the opening sentence names it
  (`本报告由淮安市人民政府办公室……编制`).
"""
from __future__ import annotations

import re

from ingest.read.grid import Grid

BODY = r"[\u4e00-\u9fff()（）]{2,60}?"
REPORT = r"(?:政府)?信息公开(?:工作)?年度?报告"
BODY_FIRST = re.compile(rf"({BODY})(\d{{4}})年度?{REPORT}")
YEAR_FIRST = re.compile(rf"(\d{{4}})年度?(?!(?:政府)?信息公开)({BODY}){REPORT}")
YEAR_ONLY = re.compile(rf"^(\d{{4}})年度?{REPORT}")
BODY_LINE = re.compile(r"[\u4e00-\u9fff()（）]{2,40}")
COMPILER = re.compile(r"本报告由([\u4e00-\u9fff()（）]{2,40}?)(?:根据|依据|按照|编制|负责|组织|牵头|起草)")
HEAD_ROWS = 40  # rows at the top of the document where the title is looked for


def find_title(grid: Grid) -> tuple[str | None, str | None, int | None]:
    """(title as printed, body name, year); None where the document does not say."""
    texts = ([grid.title_hint] if grid.title_hint else []) + [c.text for row in grid.rows[:HEAD_ROWS] for c in row]
    compact: list[str] = []
    for text in texts:
        compact.append("".join(text.split()))
        text = compact[-1]
        if m := BODY_FIRST.search(text):
            return m.group(0), m.group(1), int(m.group(2))
        if m := YEAR_FIRST.search(text):
            return m.group(0), m.group(2), int(m.group(1))
        if len(compact) > 1 and (m := YEAR_ONLY.match(text)) and BODY_LINE.fullmatch(compact[-2]):
            return compact[-2] + m.group(0), compact[-2], int(m.group(1))
    year_only = next((m for text in compact if (m := YEAR_ONLY.search(text))), None)
    if year_only is None:
        return None, None, None
    body = next((m.group(1) for text in compact if (m := COMPILER.search(text))), None)
    return year_only.group(0), body, int(year_only.group(1))
