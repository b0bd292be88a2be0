"""What a build can be told: the settings object.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

# Tasks pass whole shards: hashing them for Prefect's result cache costs more than the work.
# Large Python collections go to tasks quoted: Prefect would otherwise walk every
# item looking for futures (seconds per million rows). Arrow tables are opaque anyway.
from flows import dedup
from flows.paths import ROOT


@dataclass
class Settings:
    """Everything a build can be told, in one place (CLI flags and SCO_* variables)."""

    inputs: list[Path] = field(default_factory=lambda: [ROOT / "seeds" / "documents"])
    output: Path = ROOT / "output"
    shard_files: int = int(os.environ.get("SCO_SHARD_FILES", "500"))
    annotate_batch: int = int(os.environ.get("SCO_ANNOTATE_BATCH", "2000"))
    dedup_threshold: float = float(os.environ.get("SCO_DEDUP_THRESHOLD", str(dedup.THRESHOLD)))
    as_of: date | None = None  # the date SCO statuses are read at; default: the build's date
    full: bool = False  # ignore what the previous build remembered
    sources: Path | None = None  # a sources.yaml: folders, JSON lines, feeds, URL lists (replaces `inputs`)
    raw_store: Path | None = None  # where fetched pages are kept; default: the sources file's raw_store
    offline: bool = False  # build from the raw store only, fetch nothing
    allow_private: bool = False  # fetch from private/loopback addresses: for tests on 127.0.0.1 only
    # worker processes for cleaning and annotating; default: one per core, none for a small build
    processes: int | None = int(os.environ["SCO_PROCESSES"]) if os.environ.get("SCO_PROCESSES") else None

    def build_time(self) -> datetime:
        # SOURCE_DATE_EPOCH pins the build time, so rebuilds are reproducible byte for byte.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)
