"""Clean: raw records in, `documents` rows out (before deduplication).

    normalize mojibake, control characters, spaces, entities, inline HTML
    markdown  markdown and hard wraps to one line a paragraph
    lines     line keys, chrome by method (lines repeated across a source), repeated paragraphs
    chrome    the short list of chrome patterns (share buttons, sign-up prompts ...)
    prepare   raw text to the lines cleaning judges (and counts chrome on)
    forum     forum threads split into posts
    metadata  title, outlet, licence, language, publication date, doc_id
    document  one record to its documents and rejects
"""
from flows.clean.document import clean_batch, clean_record, source_group  # noqa: F401
from flows.clean.lines import (  # noqa: F401
    REPEAT_MIN_DOCS,
    REPEAT_MIN_SHARE,
    REPEATED_BLOCK,
    RepeatedHashes,
    dedup_paragraphs,
    ends_sentence,
    is_sentence,
    key_hash,
    line_keys,
    repeated_from_hashes,
    repeated_from_keys,
    repeated_lines,
    strip_chrome,
)
from flows.clean.markdown import looks_markdown, strip_markdown, unwrap  # noqa: F401
from flows.clean.metadata import (  # noqa: F401
    LANGUAGE_SAMPLE,
    detect_language,
    doc_id_for,
    headline_numeric_date,
    licence_from_url,
    outlet_from_dateline,
    outlet_from_url,
    outlets,
    parse_date_string,
    split_title,
)
from flows.clean.normalize import (  # noqa: F401
    looks_mojibake,
    non_ascii,
    non_ascii_windows,
    repair,
    strip_html_tags,
)
from flows.clean.prepare import (  # noqa: F401
    CARRIED_LINES, CARRIED_TEXT, carry_prepared, join_splits, key_hashes, prepared_lines,
)
