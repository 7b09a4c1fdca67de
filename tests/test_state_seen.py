"""What a refresh plans against (ingest.warehouse.state.seen): each active report's names, its
file first, then its copies in the order stored, whether its copies are stored empty or not at all."""
from __future__ import annotations

import duckdb

from ingest.warehouse import state
from ingest.warehouse.load import create_raw


def test_seen_names_each_active_report_by_its_file_then_its_copies() -> None:
    con = duckdb.connect()
    create_raw(con, replace=False)
    con.executemany("INSERT INTO raw.reports (report_id, file, sha256, status, copies) VALUES (?, ?, ?, ?, ?)",
                    [("r1", "a.txt", "A", "active", []), ("r2", "b.txt", "B", "active", None),
                     ("r3", "c.txt", "C", "active", ["d.txt"]), ("r4", "f.txt", "F", "withdrawn", ["g.txt"]),
                     ("r5", "h.txt", "H", "active", ["i.txt", "j.txt"])])
    assert state.seen(con).reports == {"A": ["a.txt"], "B": ["b.txt"], "C": ["c.txt", "d.txt"],
                                         "H": ["h.txt", "i.txt", "j.txt"]}
