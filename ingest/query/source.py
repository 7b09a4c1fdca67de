"""Where the SQL of `xxgk query` comes from: the argument, `-f FILE`, standard input, or one of
the project's `analyses/` rendered against the warehouse.

An analysis is dbt Jinja. It is rendered the way dbt renders it (a sandboxed Jinja environment),
with `ref('model')` naming the relation in whichever schema the warehouse holds it, `source(s, t)`
as `s.t`, `var(name, default)` and `config(...)`; anything else it uses is an error that says to
compile it with dbt instead. No dbt run is needed, and nothing is written.
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ingest.i18n import _
from ingest.query.catalog import Catalog
from ingest.warehouse.dbt import PROJECT

ANALYSES = PROJECT / "analyses"
ANALYSIS_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_MISSING = object()


class UsageError(Exception):
    """The command was asked for something it cannot do (no SQL, unknown analysis, unreadable file)."""


def read_sql(args: argparse.Namespace, stdin: TextIO) -> str | None:
    """The SQL text from the positional argument, `-f FILE` (`-` for standard input) or standard
    input when none is given and it is not a terminal; None for --analysis (rendered later)."""
    given = [x for x in (args.sql, getattr(args, "file", None), getattr(args, "analysis", None)) if x is not None]
    if len(given) > 1:
        raise UsageError(_("give the SQL one way only: as an argument, with -f FILE or with --analysis NAME"))
    if getattr(args, "analysis", None) is not None:
        return None
    if args.sql is not None:
        return str(args.sql)
    path = getattr(args, "file", None)
    if path is None and stdin.isatty():
        raise UsageError(_("no SQL given: pass it as an argument, with -f FILE.sql, --analysis NAME, "
                           "or on standard input"))
    if path is None or path == "-":
        return stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(_("cannot read {path}: {value}")
                         .format(path=path, value=getattr(e, 'strerror', None) or e)) from e


def analysis_names(folder: Path = ANALYSES) -> list[str]:
    return sorted(p.stem for p in folder.rglob("*.sql")) if folder.is_dir() else []


def _analysis_path(name: str, folder: Path) -> Path:
    names = analysis_names(folder)
    if not ANALYSIS_NAME.match(name) or name not in names:
        raise UsageError(_("no analysis {name!r}; available: {value}")
                         .format(name=name, value=', '.join(names) or 'none'))
    return next(folder.rglob(f"{name}.sql"))


def _quote(*parts: str) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def _dbt_context(catalog: Catalog, name: str) -> dict[str, Callable[..., Any]]:
    def ref(*args: str, **_kwargs: Any) -> str:
        model = args[-1]
        try:
            found = catalog.locate(model)
        except ValueError as e:
            raise UsageError(_("analysis {name}: ref('{model}'): {e}").format(name=name, model=model, e=e)) from None
        if found is None:
            raise UsageError(_("analysis {name}: ref('{model}'): no such table or view in the warehouse (run `xxgk "
                               "build`)").format(name=name, model=model))
        return _quote(*found)

    def source(source_name: str, table: str) -> str:
        if (source_name.lower(), table.lower()) not in catalog.relations:
            raise UsageError(_("analysis {name}: source('{source_name}', '{table}') is not in the warehouse")
                             .format(name=name, source_name=source_name, table=table))
        return _quote(source_name, table)

    def var(var_name: str, default: Any = _MISSING) -> Any:
        if default is _MISSING:
            raise UsageError(_("analysis {name}: var('{var_name}') has no default; compile it with dbt instead")
                             .format(name=name, var_name=var_name))
        return default

    return {"ref": ref, "source": source, "var": var, "config": lambda *a, **k: "", "is_incremental": lambda: False}


def render_analysis(name: str, catalog: Catalog, folder: Path = ANALYSES) -> str:
    """The SQL of analyses/NAME.sql with its Jinja rendered against the warehouse's catalog."""
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = _analysis_path(name, folder)
    env = SandboxedEnvironment(undefined=StrictUndefined, extensions=["jinja2.ext.do"])
    try:
        return env.from_string(path.read_text(encoding="utf-8")).render(_dbt_context(catalog, name))
    except TemplateError as e:
        raise UsageError(_("analysis {name}: {message}; xxgk query renders ref, source, var and config only: compile "
                           "it with `dbt compile --select {name}` and run the result with -f")
                         .format(name=name, message=e.message)) from e
