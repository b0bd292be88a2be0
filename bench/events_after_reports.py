"""Events dated after every document that reports them (issue 19): an event a report tells
cannot have happened after the report, unless the report tells what is planned.

    .venv/bin/python bench/events_after_reports.py OUTPUT_DIR [-v]

Reads OUTPUT_DIR/events.parquet and OUTPUT_DIR/documents.parquet (a build's output) and
prints how many events start after the latest publication date of the documents that
report them (documents without a publication date do not count), by event type.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq


def after_reports(out: Path) -> list[dict]:
    docs = pq.read_table(out / "documents.parquet", columns=["doc_id", "published_date"]).to_pylist()
    pub = {d["doc_id"]: d["published_date"] for d in docs if d["published_date"] is not None}
    rows = []
    for e in pq.read_table(out / "events.parquet").to_pylist():
        dates = [pub[d] for d in e["doc_ids"] if d in pub]
        if e["start_date"] is not None and dates and e["start_date"] > max(dates):
            rows.append(e)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    rows = after_reports(args.output)
    n = len(pq.read_table(args.output / "events.parquet", columns=["event_id"]))
    by_type = Counter(e["event_type"] for e in rows)
    print(f"{args.output}: {len(rows)} of {n} events dated after every document reporting them {dict(by_type)}")
    if args.verbose:
        for e in rows:
            print(f"  {e['event_type']} {e['start_date']} {e['organization']} {e['figure_ids']} {e['country_iso3s']} "
                  f"| {e['evidence'][:150]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
