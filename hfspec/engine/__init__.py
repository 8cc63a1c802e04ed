"""The engine: data files → validated DuckDB tables → key-figure results, rules, models."""
