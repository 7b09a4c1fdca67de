"""Write the parts of models/marts/_marts__models.yml that follow from the seeds, between
`# begin generated: <block>` and `# end generated: <block>` lines:

- `rule_tests`: one dbt test per rule of seeds/rules.csv on mart_check_results, whose severity is
  the rule's severity mapped by seeds/rule_severities.csv (test_severity);
- `metric_columns`: the description of every column mart_body_year_metrics makes per metric of
  seeds/metrics.csv (value, _yoy, _yoy_pct, _inputs_ok and, for ranked metrics, rank, peers and
  percentile per scope of seeds/peer_scopes.csv), so that they reach DuckDB as comments.

    .venv/bin/python scripts/make_model_yaml.py          # rewrite the blocks
    .venv/bin/python scripts/make_model_yaml.py --check  # exit 1 when they are stale

tests/test_model_yaml.py runs the check: a seed changed without re-running this fails the suite.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.spec import SEEDS, seed_rows  # noqa: E402

MARTS_YML = ROOT / "models" / "marts" / "_marts__models.yml"
BLOCK = re.compile(r"^(?P<indent> *)# begin generated: (?P<name>\w+)\n.*?^(?P=indent)# end generated: (?P=name)\n",
                   re.MULTILINE | re.DOTALL)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rule_tests(seeds: Path = SEEDS) -> list[str]:
    """A failing-check test per rule, with the severity its rule's severity maps to."""
    test_severity = {row["severity"]: row["test_severity"] for row in seed_rows("rule_severities", folder=seeds)}
    lines = []
    for rule in seed_rows("rules", folder=seeds):
        lines += [
            "- expect_no_rows_where:",
            f"    name: check_{rule['rule_id'].lower()}",
            f"    description: {_quote(rule['rule_name'] + '（' + rule['severity'] + '）: ' + rule['definition'])}",
            f"    arguments: {{condition: \"rule_id = '{rule['rule_id']}' and status = 'fail'\"}}",
            f"    config: {{severity: {test_severity[rule['severity']]}, store_failures_as: view}}",
        ]
    return lines


def _column(name: str, description: str) -> list[str]:
    return [f"- name: {name}", f"  description: {_quote(description)}"]


def metric_columns(seeds: Path = SEEDS) -> list[str]:
    """Descriptions of the columns mart_body_year_metrics makes for each metric."""
    scopes = seed_rows("peer_scopes", "position", seeds)
    lines: list[str] = []
    for m in seed_rows("metrics", "position", seeds):
        code, name = m["metric_code"], m["metric_name"]
        kind = "比率，分母为 0 时为空" if m["kind"] == "ratio" else "整数"
        lines += _column(code, f"{name}：{m['definition']}（{kind}）。In codes: {m['description']}.")
        lines += _column(f"{code}_yoy", f"{name}同比变化：本年值减去上一个有报告年度（yoy_compared_year）的值；"
                                        "该机关没有更早的报告或任一年为空时为空。")
        lines += _column(f"{code}_yoy_pct", f"{name}同比变化率：{code}_yoy ÷ 上一个有报告年度的值（0.1 = 10%）；"
                                            "该值为 0 或为空时为空。")
        lines += _column(f"{code}_inputs_ok", f"{name}的输入单元格是否可靠：全部读出、且没有一个违反“错误”级审核规则时为 true。"
                                              "为 false 时数值照样保留，但不参与排名和基准；违反的规则和单元格见 mart_check_findings。")
        if m["ranked"] != "true":
            continue
        direction = "越高越好" if m["higher_is_better"] == "true" else "越低越好"
        for scope in scopes:
            s, label = scope["scope"], scope["label"]
            group = f"同一{label[0]}（{s}_code）、同一区划级别、同一机关类型、同一年度"
            lines += _column(f"{code}_rank_in_{s}", f"{name}{label}排名：1 = 最好（{direction}），在{group}的机关中。"
                                                    "小样本、输入不可靠、没有数值或组内只有自己时为空。")
            lines += _column(f"{code}_peers_in_{s}", f"{name}{label}参与排名的机关数（排名“x / n”中的 n）。")
            lines += _column(f"{code}_percentile_in_{s}", f"{name}{label}百分位：同组其他参与排名的机关中排在其后的比例"
                                                          "（0–1，1 = 最好）；排名为空时为空。")
    return lines


GENERATORS = {"rule_tests": rule_tests, "metric_columns": metric_columns}


def render(text: str, seeds: Path = SEEDS) -> str:
    """`text` with every generated block rewritten from the seeds in `seeds`."""
    def block(match: re.Match[str]) -> str:
        indent, name = match["indent"], match["name"]
        body = "".join(f"{indent}{line}\n" for line in GENERATORS[name](seeds))
        return f"{indent}# begin generated: {name}\n{body}{indent}# end generated: {name}\n"
    return BLOCK.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the blocks are stale")
    args = parser.parse_args(argv)
    text = MARTS_YML.read_text(encoding="utf-8")
    fresh = render(text)
    if args.check:
        if fresh != text:
            print(f"{MARTS_YML.relative_to(ROOT)} is stale: run scripts/make_model_yaml.py", file=sys.stderr)
            return 1
        return 0
    MARTS_YML.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
