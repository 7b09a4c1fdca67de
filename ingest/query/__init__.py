"""`xxgk query`: one read-only query against the warehouse, guarded twice, limited, streamed.

- guard.py: sqlglot and DuckDB's parser agree it is one query made of allowed parts;
- catalog.py: every table name is the warehouse's own, a CTE or an allowed system view;
- session.py: a read-only, locked-down connection with time, memory and thread limits;
- limits.py: the limits and their defaults; source.py: SQL from argument, file, stdin or analyses/;
- formats.py: terminal table, TSV, CSV, JSON lines, inert XLSX; command.py: the command.

Names are imported on first use, so that the command-line parser stays quick to load.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Refused": "guard", "QueryError": "guard", "check_sql": "guard", "inspect_sql": "guard",
    "connect_read_only": "session", "open_query": "session", "Stopped": "session", "SAFE_CONFIG": "session",
    "WarehouseError": "session", "Limits": "limits", "DEFAULT_LIMITS": "limits",
    "query_command": "command", "run_query": "run", "Result": "run",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)


__all__ = sorted(_EXPORTS)
