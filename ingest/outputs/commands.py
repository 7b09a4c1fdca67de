"""`xxgk report`, `xxgk letter` and `xxgk export`: arguments in, one file (or folder) out, one line said.

Exit status: 0 written; 2 nothing written, with one line saying why (no warehouse, nothing
matches the selection, a name that fits several bodies, a target that exists or cannot be
written); 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ingest.i18n import _
from ingest.outputs.files import OutputError
from ingest.outputs.source import SourceError


def _guarded(command: str, run: Callable[[], str]) -> int:
    try:
        said = run()
    except (SourceError, OutputError) as e:
        print(_("xxgk {command}: error: {message}").format(command=command, message=e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("xxgk {command}: interrupted").format(command=command), file=sys.stderr)
        return 130
    print(said)
    return 0


def report_command(args: argparse.Namespace, version: str) -> int:
    from ingest.outputs.report import Selection, write_report

    def run() -> str:
        size = write_report(Path(args.warehouse), Path(args.out), Selection(args.province, args.city, args.year),
                            force=args.force, version=version)
        return _("report: {path} ({size:.1f} MB; opens in any browser, with no network)").format(
            path=args.out, size=size / 1e6)

    return _guarded("report", run)


def letter_command(args: argparse.Namespace, version: str) -> int:
    from ingest.outputs.letter import write_letter

    def run() -> str:
        letter = write_letter(Path(args.warehouse), Path(args.out), args.body, args.region, args.year,
                              force=args.force, version=version)
        return _("letter: {path} ({body}, {year}: {breaches} breached checks, {unread} unread cells, "
                 "{warnings} warnings)").format(path=args.out, **letter)

    return _guarded("letter", run)


def export_command(args: argparse.Namespace) -> int:
    from ingest.outputs.export import export

    def run() -> str:
        kind, target = next((k, getattr(args, k)) for k in ("xlsx", "csv", "parquet") if getattr(args, k))
        written = export(Path(args.warehouse), kind, Path(target), force=args.force)
        lines = [_("export: {path} ({tables} tables, {rows} rows)").format(
            path=target, tables=len(written.rows), rows=f"{sum(written.rows.values()):,}")]
        lines += [_("export: note: {message}").format(message=m) for m in written.notes]
        return "\n".join(lines)

    return _guarded("export", run)
