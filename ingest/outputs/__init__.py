"""Files a person opens: checked targets written whole or not at all, and inert spreadsheets.

- files.py: `check_target` and `atomic_file` (temp file in the target's folder, renamed into place).
- cells.py: what a cell value becomes in a spreadsheet or a CSV meant for one (no formulas).
- workbook.py: `write_workbook`, an openpyxl write-only workbook built from streamed rows.
"""
from ingest.outputs.files import OutputError, atomic_file, check_target

__all__ = ["OutputError", "atomic_file", "check_target"]
