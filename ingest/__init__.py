"""xxgk-warehouse: government information-disclosure annual reports into DuckDB."""

__version__ = "0.1.0"
PARSER_VERSION = "2"
