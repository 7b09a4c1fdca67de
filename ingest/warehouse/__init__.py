"""Record → DuckDB → dbt: the reports folder and its manifest, regions, the loader, build and refresh."""
