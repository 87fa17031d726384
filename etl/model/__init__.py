"""The curated model: clean plays → star schema and analytics tables (see docs/model.md).

Each module builds a few tables as Arrow from Arrow, with DuckDB SQL in-process; ``etl.curate``
reads the clean layer, calls them in order and writes the files.
"""
