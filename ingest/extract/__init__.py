"""Grid → canonical record: the one extractor that knows the report (labels, values, glued runs, narrative)."""
