"""The `xxgk` command. Thin: it parses arguments and calls one function per subcommand."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.i18n import _

DEFAULT_REPORTS = Path("data/reports")
DEFAULT_WAREHOUSE = Path("warehouse.duckdb")


def _parse(args: argparse.Namespace) -> int:
    from ingest.parse import parse_command

    return parse_command(args.files, cells=args.cells, out=sys.stdout)


def _build(args: argparse.Namespace) -> int:
    from ingest.warehouse.build import build_command

    return build_command(Path(args.reports), Path(args.warehouse), full=True, allow_empty=args.allow_empty)


def _refresh(args: argparse.Namespace) -> int:
    from ingest.warehouse.build import build_command

    return build_command(Path(args.reports), Path(args.warehouse), full=False, wait=args.wait,
                         allow_empty=args.allow_empty)


def _query(args: argparse.Namespace) -> int:
    from ingest.query import query_command

    return query_command(args)


def _docs(args: argparse.Namespace) -> int:
    from ingest.warehouse.docs import docs_command

    return docs_command(Path(args.warehouse), Path(args.out))


def _report(args: argparse.Namespace) -> int:
    from ingest.outputs.commands import report_command

    return report_command(args, _version())


def _letter(args: argparse.Namespace) -> int:
    from ingest.outputs.commands import letter_command

    return letter_command(args, _version())


def _export(args: argparse.Namespace) -> int:
    from ingest.outputs.commands import export_command

    return export_command(args)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"xxgk {version('xxgk-warehouse')}"
    except PackageNotFoundError:
        return "xxgk (not installed)"


def _query_parser(sub: argparse._SubParsersAction) -> None:
    from ingest.query.limits import DEFAULT_LIMITS, memory_size, seconds, thread_count

    q = sub.add_parser("query", help=_("run one read-only query against the warehouse"))
    q.add_argument("sql", nargs="?", help=_("a single read-only query (SELECT, WITH, PIVOT, DESCRIBE, SHOW, SUMMARIZE); "
                     "without it, -f FILE, --analysis NAME or standard input"))
    q.add_argument("-f", "--file", metavar="FILE.sql", help=_("read the query from FILE ('-': standard input)"))
    q.add_argument("--analysis", metavar="NAME", help=_("run analyses/NAME.sql, its refs rendered against the warehouse"))
    q.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help=_("DuckDB file (default: %(default)s)"))
    q.add_argument("--dialect", default="duckdb",
                   help=_("SQL dialect of the query: mysql, postgres, sqlite, ... (default: %(default)s)"))
    fmt = q.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help=_("print CSV"))
    fmt.add_argument("--tsv", action="store_true", help=_("print TSV (the default when output is not a terminal)"))
    fmt.add_argument("--json", action="store_true", help=_("print one JSON object per row"))
    fmt.add_argument("--xlsx", metavar="FILE", help=_("write an Excel workbook"))
    q.add_argument("--force", action="store_true", help=_("with --xlsx: replace FILE if it exists"))
    q.add_argument("--timeout", type=seconds, default=DEFAULT_LIMITS.timeout, metavar="SECONDS",
                   help=_("stop the query after SECONDS, fetching included; 0: no limit (default: %(default)g)"))
    q.add_argument("--memory-limit", type=memory_size, default=DEFAULT_LIMITS.memory, metavar="SIZE",
                   help=_("DuckDB's memory limit; beyond it DuckDB spills to a temporary folder (default: %(default)s)"))
    q.add_argument("--threads", type=thread_count, default=DEFAULT_LIMITS.threads, metavar="N",
                   help=_("DuckDB's worker threads (default: %(default)s)"))
    q.set_defaults(func=_query)


def _outputs_parsers(sub: argparse._SubParsersAction) -> None:
    warehouse_help = _("DuckDB file (default: %(default)s)")
    r = sub.add_parser("report", help=_("write a self-contained HTML page comparing the bodies of a province or city"))
    r.add_argument("--out", required=True, metavar="FILE.html", help=_("the page to write"))
    r.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help=warehouse_help)
    where = r.add_mutually_exclusive_group()
    where.add_argument("--province", metavar="CODE", help=_("only the bodies of this province (6-digit code, e.g. 350000)"))
    where.add_argument("--city", metavar="CODE", help=_("only the bodies of this city (6-digit code, e.g. 350100)"))
    r.add_argument("--year", type=int, help=_("ranks, spreads and breaches of this year (default: ranks of the latest "
                                              "year, breaches of every year)"))
    r.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    r.set_defaults(func=_report)

    lt = sub.add_parser("letter", help=_("write the review letter (审核意见) for one body and year as DOCX"))
    lt.add_argument("--body", required=True, metavar="NAME", help=_("the body's name as in the warehouse"))
    lt.add_argument("--region", metavar="CODE", help=_("the body's region code, when several bodies have the name"))
    lt.add_argument("--year", type=int, required=True, help=_("the report's year"))
    lt.add_argument("--out", required=True, metavar="FILE.docx", help=_("the letter to write"))
    lt.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help=warehouse_help)
    lt.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    lt.set_defaults(func=_letter)

    e = sub.add_parser("export", help=_("write the marts as an Excel workbook, CSV files or Parquet files"))
    e.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help=warehouse_help)
    kind = e.add_mutually_exclusive_group(required=True)
    kind.add_argument("--xlsx", metavar="FILE", help=_("one workbook: a sheet per mart and a 口径说明 sheet"))
    kind.add_argument("--csv", metavar="DIR", help=_("a UTF-8 CSV file (with BOM, for Excel) per mart, in DIR"))
    kind.add_argument("--parquet", metavar="DIR", help=_("a Parquet file per mart, in DIR"))
    e.add_argument("--force", action="store_true", help=_("replace files that exist"))
    e.set_defaults(func=_export)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk", description=_("Government information-disclosure annual reports into a DuckDB warehouse.")
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help=_("parse report files and print one JSON object per file per line"))
    p.add_argument("files", nargs="+", help=_("report files (text, HTML, DOCX or PDF)"))
    p.add_argument("--cells", action="store_true", help=_("add every cell with its raw text and source"))
    p.set_defaults(func=_parse)

    for name, func, text in (
        ("build", _build, "parse every report under --reports and build the warehouse from scratch"),
        ("refresh", _refresh, "parse only new or changed reports, mark removed ones withdrawn, rebuild"),
    ):
        b = sub.add_parser(name, help=text)
        b.add_argument("--reports", default=str(DEFAULT_REPORTS), help="folder of report files (default: %(default)s)")
        b.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help="DuckDB file (default: %(default)s)")
        b.add_argument("--allow-empty", action="store_true",
                       help="accept a reports folder with no report files (otherwise refused: a missing mount "
                            "would empty the warehouse)")
        if name == "refresh":
            b.add_argument("--wait", action="store_true", help="wait for a running refresh instead of exiting")
        b.set_defaults(func=func)

    _query_parser(sub)

    d = sub.add_parser("docs", help=_("write the warehouse's documentation (dbt docs) as one offline HTML page"))
    d.add_argument("--out", required=True, help=_("folder to write index.html into"))
    d.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help=_("DuckDB file (default: %(default)s)"))
    d.set_defaults(func=_docs)
    _outputs_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
