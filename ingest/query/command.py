"""`xxgk query`: one read-only query against the warehouse, within limits, printed or written.

Exit status: 0 ok; 1 refused, an SQL error, or stopped by a limit; 2 the warehouse is missing or
unreadable, an option or the input is wrong, or the output file is refused.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from ingest.i18n import _, ngettext
from ingest.outputs.files import OutputError, check_target
from ingest.query import formats
from ingest.query.catalog import Catalog, check_relations
from ingest.query.guard import QueryError, Refused, UnknownDialect, inspect_sql
from ingest.query.limits import DEFAULT_LIMITS, Limits
from ingest.query.session import Rows, Stopped, WarehouseError, open_query, redact
from ingest.query.source import UsageError, read_sql, render_analysis


def limits_of(args: argparse.Namespace) -> Limits:
    d = DEFAULT_LIMITS
    return Limits(timeout=getattr(args, "timeout", d.timeout), memory=getattr(args, "memory_limit", d.memory),
                  threads=getattr(args, "threads", d.threads), spill=d.spill)


def emit(rows: Rows, args: argparse.Namespace, out: TextIO, warehouse: Path) -> None:
    try:
        if getattr(args, "xlsx", None):
            summary = formats.write_xlsx(rows, Path(args.xlsx), force=getattr(args, "force", False), protect=[warehouse])
            for message in summary.messages():
                print(_("xxgk query: note: {message}").format(message=message), file=sys.stderr)
            print(ngettext("wrote {n} row to {path}", "wrote {n} rows to {path}", sum(summary.rows.values()))
                  .format(n=sum(summary.rows.values()), path=args.xlsx), file=sys.stderr)
        elif getattr(args, "csv", False):
            formats.write_csv(rows, out)
        elif getattr(args, "json", False):
            formats.write_json(rows, out)
        elif getattr(args, "tsv", False) or not out.isatty():
            formats.write_tsv(rows, out)
        else:
            formats.write_table(rows, out)
        out.flush()
    except BrokenPipeError:  # `xxgk query ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run(args: argparse.Namespace, out: TextIO, stdin: TextIO, warehouse: Path) -> None:
    if getattr(args, "xlsx", None):
        check_target(args.xlsx, force=getattr(args, "force", False), protect=[warehouse])
    text = read_sql(args, stdin)
    checked = None if text is None else inspect_sql(text, getattr(args, "dialect", None) or "duckdb")
    with open_query(warehouse, limits_of(args)) as session:
        if checked is None:
            checked = inspect_sql(render_analysis(args.analysis, Catalog.read(session.con)))
        check_relations(session.con, checked.tree)
        emit(session.run(checked.sql), args, out, warehouse)


def query_command(args: argparse.Namespace, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run `xxgk query` and return its exit status (see the module doc)."""
    out, stdin = out or sys.stdout, stdin or sys.stdin
    warehouse = Path(args.warehouse)
    status, message = 0, ""
    try:
        _run(args, out, stdin, warehouse)
    except Refused as e:
        status, message = 1, str(e)
    except QueryError as e:
        status, message = (2 if isinstance(e, UnknownDialect) else 1), _("error: {message}").format(message=e)
    except Stopped as e:
        status, message = 1, str(e)
    except (UsageError, OutputError, WarehouseError) as e:
        status, message = 2, _("error: {message}").format(message=e)
    except duckdb.Error as e:
        status, message = 1, _("error: {message}").format(message=e)
    except KeyboardInterrupt:
        status, message = 130, _("interrupted")
    if message:
        print(f"xxgk query: {redact(message, warehouse)}", file=sys.stderr)
    return status
