"""Ingest: find inputs, read them into raw records, and record what cannot be used.

    inputs    the input files and their formats
    decoding  bytes to text (gzip, binary sniffing, encodings)
    html      HTML pages to their main text
    records   the raw record's fields
    readers   one input to records and rejects, by format
"""
from flows.ingest.decoding import MAX_INPUT_BYTES, decode, now_utc, reject, sniff_binary  # noqa: F401
from flows.ingest.inputs import (  # noqa: F401
    CSV_EXT,
    HTML_EXT,
    JSONL_EXT,
    TEXT_EXT,
    InputFile,
    discover,
)
from flows.ingest.html import LINK_BOX_DENSITY  # noqa: F401
from flows.ingest.readers import read_batch, read_input  # noqa: F401
from flows.ingest.records import FIELD_ALIASES, MAX_FIELD_CHARS, RECORD_FIELDS  # noqa: F401
