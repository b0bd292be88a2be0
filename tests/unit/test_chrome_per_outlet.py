"""Chrome is counted per outlet in the build's own path (engine jobs), not per input
file: one JSON-lines file holding two outlets' pages gives each outlet its own
repeated lines, and the pages of an outlet spread over two files are counted together."""
from __future__ import annotations

import json

from flows import ingest
from flows.engine import incremental, jobs


def _page(outlet: str, k: int, chrome: list[str]) -> dict:
    body = (f"Story {k} from {outlet}: the delegations met on day {k} and agreed on a programme of "
            f"{k + 3} joint projects in transport and energy, officials said after the talks.")
    return {"id": f"{outlet}-{k}", "source_name": outlet, "title": f"Story {k}", "text": "\n".join([*chrome, body])}


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return ingest.InputFile(path, path.name)


def _repeated(files, tmp_path, shard: int = 3):
    """The engine's count: inputs read, their records prepared in shards of `shard`
    records (several shards of one outlet: its count spans them)."""
    work, keys = tmp_path / "work", tmp_path / "keys"
    work.mkdir()
    keys.mkdir()
    groups: dict = {}
    for f in files:
        name, _, per_input = jobs.ingest_files([f], work)
        n = sum(k for _, k in per_input)
        for lo in range(0, n, shard):
            _, _, by_group = jobs.prepare_records(work / name, lo, min(lo + shard, n), work, keys)
            for _, group, k, ref in by_group:
                refs, total = groups.get(group, ([], 0))
                groups[group] = (refs + [ref], total + k)
    return incremental.repeated_by_group(groups, keys)


def test_one_file_of_two_outlets_counts_each_outlets_chrome(tmp_path):
    a = [_page("Alpha Daily", k, ["Alpha Daily | Subscribe now"]) for k in range(8)]
    b = [_page("Beta Times", k, ["Beta Times Weekend Edition"]) for k in range(8)]
    mixed = _write(tmp_path / "mixed.jsonl", [row for pair in zip(a, b) for row in pair])
    repeated = _repeated([mixed], tmp_path)
    assert set(repeated) == {"outlet:alpha daily", "outlet:beta times"}
    assert all(len(lines) == 1 for lines in repeated.values()), repeated


def test_an_outlet_split_over_files_is_counted_once(tmp_path):
    pages = [_page("Alpha Daily", k, ["Alpha Daily | Subscribe now"]) for k in range(6)]
    one = _write(tmp_path / "one.jsonl", pages[:3])
    two = _write(tmp_path / "two.jsonl", pages[3:])  # 3 pages each: below the count alone
    assert len(_repeated([one, two], tmp_path)["outlet:alpha daily"]) == 1
