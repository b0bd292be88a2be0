"""Release: a versioned, self-describing Parquet release of a build.

    about        the dataset's name, licence and citation
    text_policy  which documents' text a release may carry
    metadata     datapackage.json and Croissant, from the schemas
    card         the data card, changelog
    make         the release itself: files, checksums, archive
    remote       DuckDB over a release, local or over HTTP
"""
from flows.release.about import (  # noqa: F401
    DATASET_LICENCE,
    NAME,
    NOTICE,
    OFFSETS_NOTE,
    TITLE,
    citation,
)
from flows.release.card import KNOWN_LIMITS, TABLE_METHODS, changelog, data_card  # noqa: F401
from flows.release.make import (  # noqa: F401
    MAX_FILE_BYTES,
    MAX_ROW_GROUP_ROWS,
    MIN_ROW_GROUP_ROWS,
    TARGET_ROW_GROUP_BYTES,
    check_sha256sums,
    diff_releases,
    make_archive,
    make_release,
    parquet_options,
    previous_release,
    row_group_rows,
    sha256sums,
    validate_table,
    write_table,
)
from flows.release.metadata import FOREIGN_KEYS, croissant, datapackage, primary_key  # noqa: F401
from flows.release.remote import (  # noqa: F401
    attach_release,
    connect,
    duckdb_extension_path,
    load_extension,
)
from flows.release.text_policy import (  # noqa: F401
    REDISTRIBUTABLE,
    SNIPPET_JOINER,
    SNIPPET_MAX_CHARS,
    SNIPPET_MAX_SENTENCES,
    TEXT_LICENCES,
    TEXT_MODES,
    apply_text_policy,
    text_kind,
)
