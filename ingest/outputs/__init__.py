"""Files a person opens: checked targets written whole or not at all, and inert spreadsheets.

- files.py: `check_target` and `atomic_file` (temp file in the target's folder, renamed into place).
- cells.py: what a cell value becomes in a spreadsheet or a CSV meant for one (no formulas).
- workbook.py: `write_workbook`, an openpyxl write-only workbook built from streamed rows.
- source.py: the warehouse read-only, as the commands below read it.
- report/: `xxgk report`, the comparison page (data.py, charts.py, page.py, templates/report.html.j2).
- letter.py: `xxgk letter`, the review letter as DOCX.
- export.py and dictionary.py: `xxgk export`, the marts as a workbook, CSV or Parquet.
- ranks.py: how a body stands in a ranking, in words (report and letter).
- commands.py: the three commands' arguments, messages and exit status.
"""
from ingest.outputs.files import OutputError, atomic_file, check_target

__all__ = ["OutputError", "atomic_file", "check_target"]
