"""Table and view names against the open warehouse: what a name in a query may refer to.

A name must be a CTE of the query, a table or view of the warehouse in any of its schemas
(`mart_body_year_metrics`, `reference.metrics`, `raw.cells`), or one of the system views in
SYSTEM_VIEWS. A qualified name the warehouse does not have (`x.csv`) is refused: DuckDB would
try to read a file of that name. System views that show paths or settings are refused.
An unqualified unknown name is left to DuckDB, which says it does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
from sqlglot import exp

from ingest.i18n import _
from ingest.query.guard import Refused, looks_like_path

# System views an analyst may read (schema -> names; None: all of the schema's views). Not
# duckdb_databases, pragma_database_list or pg_settings: they show the warehouse's path, the
# temporary folder and the home folder.
SYSTEM_VIEWS: dict[str, frozenset[str] | None] = {
    "information_schema": None,
    "main": frozenset({"duckdb_columns", "duckdb_constraints", "duckdb_indexes", "duckdb_schemas",
                       "duckdb_tables", "duckdb_types", "duckdb_views"}),
}
SYSTEM_CATALOGS = ("system", "temp")


@dataclass(frozen=True, slots=True)
class Catalog:
    """The warehouse's own relations and DuckDB's system views, names in lower case."""

    database: str
    relations: frozenset[tuple[str, str]]  # (schema, name)
    system: frozenset[tuple[str, str]]     # (schema, name) of DuckDB's internal views

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        database = con.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        rows = con.execute("""
            select schema_name, table_name, false from duckdb_tables() where database_name = current_database()
            union all
            select schema_name, view_name, internal from duckdb_views()
            where database_name = current_database() or internal""").fetchall()
        relations = frozenset((s.lower(), n.lower()) for s, n, internal in rows if not internal)
        system = frozenset((s.lower(), n.lower()) for s, n, internal in rows if internal)
        return cls(database.lower(), relations, system)

    def locate(self, name: str) -> tuple[str, str] | None:
        """(schema, name) of the warehouse's relation called `name`, in whichever schema it is;
        None if none; ValueError if several schemas have one."""
        found = sorted(r for r in self.relations if r[1] == name.lower())
        if len(found) > 1:
            raise ValueError(f"{name} is in several schemas: {', '.join(s for s, _ in found)}")
        return found[0] if found else None

    def _system_allowed(self, schema: str, name: str) -> bool:
        allowed = SYSTEM_VIEWS.get(schema, frozenset())
        return allowed is None or name in allowed

    def check(self, table: exp.Table, ctes: set[str]) -> None:
        """Raise Refused unless `table` names something a query may read (see the module doc)."""
        name, schema, catalog = (table.name.lower(), table.db.lower(), table.catalog.lower())
        shown = ".".join(p for p in (table.catalog, table.db, table.name) if p)
        if catalog and catalog not in (self.database, *SYSTEM_CATALOGS):
            raise Refused(_("{shown}: no database {catalog} here (DuckDB would try to read a file of that name)")
                          .format(shown=shown, catalog=table.catalog))
        if not schema:
            if name in ctes or ("main", name) in self.relations:
                return
            system = [s for s, n in self.system if n == name and s in ("main", "pg_catalog")]
            if system and not self._system_allowed(system[0], name):
                raise Refused(_("{shown} is not readable through xxgk query (it shows machine paths or settings)")
                              .format(shown=shown))
            if not system and looks_like_path(name):
                raise Refused(_("table name {name!r} looks like a file path or URL (DuckDB would read it)")
                              .format(name=table.name))
            return
        if (schema, name) in self.relations and catalog in ("", self.database):
            return
        if (schema, name) in self.system:
            if self._system_allowed(schema, name):
                return
            raise Refused(_("{shown} is not readable through xxgk query (it shows machine paths or settings)")
                          .format(shown=shown))
        raise Refused(_("{shown} is not a table or view of the warehouse (DuckDB would try to read a file of that "
                        "name)").format(shown=shown))


def check_relations(con: duckdb.DuckDBPyConnection, tree: exp.Expression) -> None:
    """Raise Refused if a table name in `tree` is not something the query may read."""
    tables = [t for t in tree.find_all(exp.Table) if isinstance(t.this, exp.Identifier)]
    if not tables:
        return
    ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
    catalog = Catalog.read(con)
    for table in tables:
        catalog.check(table, ctes)
