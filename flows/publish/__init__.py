"""Publish a build: validate every table (pandera), write Parquet and DuckDB, swap the
build in atomically; read a published build back.
"""
from flows.publish.read import read_build_table, sort_rows  # noqa: F401
from flows.publish.validation import (  # noqa: F401
    VALIDATE_ROWS,
    ValidationFailed,
    arrow_frame,
    in_write_order,
    to_arrow,
    to_frame,
    validate,
    validate_rows,
)
from flows.publish.write import (  # noqa: F401
    BUILDS,
    CURRENT,
    DB_NAME,
    KEEP_BUILDS,
    NULL_PARTITION,
    PARQUET_OPTIONS,
    PARTITION_BYTES,
    RELEASE_PARQUET_OPTIONS,
    SQL_DIR,
    build_database,
    publish,
    symlink_atomic,
    table_sql,
    write_summary,
    write_tables,
)
