"""The dbt child process of ingest/warehouse/dbt.py: `python -m ingest.warehouse.dbt_child
RESULTS ARG...` runs `dbt ARG...` through dbt's documented programmatic entry (dbtRunner) with
--no-write-json, and writes the run results to RESULTS itself.

Why: dbt's JSON artifacts cost a refresh about a second at 100,000 reports (manifest.json after
parsing and again after the run, semantic_manifest.json, graph.gpickle), and the build reads only
the run results. Compiled SQL (target/compiled, target/run), partial parsing and dbt.log are not
JSON artifacts and stay as they were. Exit status as dbt's own: 0 success, 1 a node failed,
2 dbt could not run.
"""
from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    results, args = Path(argv[0]), argv[1:]
    outcome = dbtRunner().invoke([*args, "--no-write-json"])
    if hasattr(outcome.result, "write"):
        outcome.result.write(str(results))
    if outcome.exception is not None:
        print(f"dbt could not run: {outcome.exception}", file=sys.stderr)
        return 2
    return 0 if outcome.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
