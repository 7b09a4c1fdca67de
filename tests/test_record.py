"""The typed record: one shape from the extractor to the loader. Its JSON is the `xxgk parse`
contract (fields are only added: table3_layout), it reads back from that JSON, and it crosses
from a parse worker to the loader intact."""
from __future__ import annotations

import json
import pickle

from ingest.extract.record import Record
from ingest.parse import parse_path
from tests.gold import FIXTURES

CONTRACT = ["file", "sha256", "format", "layout", "table3_layout", "title", "body_name", "year", "table2", "table3",
            "table4", "narrative", "uncertain", "ambiguous", "warnings"]


def test_json_keeps_the_contract_and_reads_back() -> None:
    rec = parse_path(FIXTURES / "corpus" / "pingtan_2024_flat.txt")
    assert isinstance(rec, Record) and rec.ambiguous
    plain, traced = rec.to_json(), rec.to_json(with_cells=True)
    assert list(plain) == CONTRACT and list(traced) == CONTRACT + ["cells", "narrative_cells"]
    assert Record.from_json(json.loads(json.dumps(traced))) == rec


def test_a_record_crosses_a_process_boundary_intact() -> None:
    rec = parse_path(FIXTURES / "corpus" / "pingtan_haitan_2023.txt")
    back = pickle.loads(pickle.dumps(rec))
    assert back == rec and back.to_json(True) == rec.to_json(True)
    assert "cell_columns" not in back.__dict__ and len(back.cells) == len(rec.cells) == 10 + 23 * 7 + 15
    del rec.cells["table4.review_total"]  # keys other than the layouts' own are pickled with the cells
    assert pickle.loads(pickle.dumps(rec)) == rec
