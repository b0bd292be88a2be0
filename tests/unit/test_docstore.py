"""Documents whose texts are on disk (flows/engine/docstore.py): read back exactly, validated
and written as the same table held in memory would be."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flows import publish
from flows.engine import docstore
from flows.publish import validation as publish_validate
from flows.publish.read import read_build_table
from schemas.generate import arrow_schema
from schemas.tables import TABLES
from tests.unit.test_write import _documents

COLUMNS = arrow_schema("documents").names


def _stored(rows: list[dict], folder, per_file: int = 7) -> tuple[docstore.Stored, pa.Table]:
    """The rows as a Stored table (texts in files of `per_file` rows), shuffled, and as Arrow."""
    table = pa.Table.from_pylist(rows, schema=arrow_schema("documents"))
    store, metas = docstore.Store(folder), []
    for lo in range(0, table.num_rows, per_file):
        meta, name = docstore.split_texts(table.slice(lo, per_file), folder)
        metas.append(meta.append_column(docstore.FILE, pa.array([len(store.files)] * meta.num_rows, pa.int32())))
        store.files.append(name)
    meta = pa.concat_tables(metas)
    shuffled = meta.take(pa.array(sorted(range(meta.num_rows), key=lambda i: (i * 7919) % meta.num_rows)))
    return docstore.Stored(shuffled, store, COLUMNS), table


def test_texts_come_back_in_the_order_asked(tmp_path):
    stored, table = _stored(_documents(30), tmp_path)
    got = stored.store.documents(stored.meta, COLUMNS)
    want = table.take(pc.index_in(got["doc_id"], table["doc_id"]))
    assert got.cast(table.schema).equals(want)
    assert len(stored.store.files) == 5  # 30 rows, 7 a file


def _with_batch_bytes(stored: docstore.Stored, batch_bytes: int) -> docstore.Stored:
    """The same rows, in a store that reads back about `batch_bytes` of text at a time
    (the build's setting batch_text_bytes)."""
    store = docstore.Store(stored.store.folder, stored.store.files, batch_bytes=batch_bytes)
    return docstore.Stored(stored.meta, store, COLUMNS)


def test_batches_hold_every_row_once_and_are_cut_by_text_size(tmp_path):
    stored, table = _stored(_documents(30), tmp_path)
    size = len(("Text number 10. " * 20).encode())
    batches = list(_with_batch_bytes(stored, size * 4).batches())
    assert len(batches) >= 7 and sum(b.num_rows for b in batches) == 30
    assert pa.concat_tables(batches)["doc_id"].to_pylist() == stored.meta["doc_id"].to_pylist()


def test_compact_keeps_only_the_files_in_use(tmp_path):
    stored, _ = _stored(_documents(30), tmp_path)
    keep = stored.meta.filter(pc.less(stored.meta[docstore.FILE], 2))  # rows of the first two files
    (tmp_path / ".texts-left-by-a-killed-build.arrow.tmp").write_bytes(b"")
    store, meta = stored.store.compact(keep)
    store.remove_unused()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(stored.store.files[:2])
    assert store.documents(meta, COLUMNS).equals(stored.store.documents(keep, COLUMNS))


def test_a_stored_table_is_published_like_the_same_table_in_memory(tmp_path):
    stored, table = _stored(_documents(40), tmp_path / "texts")
    rows = {name: [] for name in TABLES}
    in_memory = publish.validate_rows({**rows, "documents": table})
    on_disk = publish.validate_rows({**rows, "documents": stored})
    publish.publish(on_disk, {}, tmp_path / "a")
    assert read_build_table(tmp_path / "a", "documents").equals(in_memory["documents"])
    # larger than a partition: by year, in parts, the same rows
    on_disk = publish.validate_rows({**rows, "documents": _with_batch_bytes(stored, 700)})  # two texts a batch
    paths = publish.publish(on_disk, {}, tmp_path / "b", partition_bytes=in_memory["documents"].nbytes // 8)
    assert sorted(p.name for p in paths["documents"].iterdir()) == \
        ["year=2020", "year=2021", "year=2022", f"year={publish.NULL_PARTITION}"]
    assert len(list(paths["documents"].rglob("part-*.parquet"))) > 4
    got = read_build_table(tmp_path / "b", "documents")
    assert got.sort_by("doc_id").equals(in_memory["documents"])


def test_checks_across_rows_see_every_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(publish_validate, "VALIDATE_ROWS", 10)
    docs = _documents(30)
    docs[25].update(duplicate_of=docs[3]["doc_id"], duplicate_kind="exact", duplicate_similarity=1.0)  # a canonical document in another chunk: fine
    stored, _ = _stored(docs, tmp_path / "ok")
    assert publish.validate_rows({"documents": stored})["documents"].num_rows == 30
    docs[28]["source_uri"] = docs[2]["source_uri"]  # unique across the table, not only a chunk
    docs[27].update(duplicate_of=docs[25]["doc_id"], duplicate_kind="near", duplicate_similarity=0.9)  # a duplicate of a duplicate
    stored, _ = _stored(docs, tmp_path / "bad")
    with pytest.raises(publish.ValidationFailed) as e:
        publish.validate_rows({"documents": stored})
    assert "source_uri" in e.value.report and "duplicate_of must name another, canonical document" in e.value.report


def test_a_large_arrow_table_is_validated_in_chunks_to_the_same_rows(monkeypatch):
    """Past VALIDATE_ROWS rows a table is sorted by Arrow and checked in chunks: the
    same rows in the same order as the one-DataFrame path, and the same failures."""
    import random

    rng = random.Random(7)
    rows = [{"doc_id": f"d-{rng.randrange(5):016x}", "start": s, "end": s + rng.randrange(1, 9),
             "entity_type": rng.choice(["country", "figure"]), "entity_id": rng.choice(["RUS", "CHN", "IND"]),
             "surface": "x", "method": "gazetteer"}
            for s in (rng.randrange(40) for _ in range(60))]
    table = pa.Table.from_pylist(rows, schema=arrow_schema("mentions"))
    whole = publish.validate_rows({"mentions": table})["mentions"]
    monkeypatch.setattr(publish_validate, "VALIDATE_ROWS", 7)
    assert publish.validate_rows({"mentions": table})["mentions"].equals(whole)
    bad = table.set_column(table.schema.get_field_index("end"), table.schema.field("end"),
                           pa.array([0] * table.num_rows, table.schema.field("end").type))
    with pytest.raises(publish.ValidationFailed) as e:
        publish.validate_rows({"mentions": bad})
    assert "end must follow start" in e.value.report


def test_line_keys_come_back_per_input(tmp_path):
    import numpy as np

    arrays = [np.array([3, 1, 2], np.uint64), np.empty(0, np.uint64), np.array([2**64 - 1], np.uint64)]
    name, spans = docstore.write_keys(arrays, tmp_path)
    for a, (lo, hi) in zip(arrays, spans):
        assert docstore.read_keys(tmp_path, (name, lo, hi)).tolist() == a.tolist()
    assert docstore.read_keys(tmp_path, None).size == 0
    (tmp_path / "keys-of-an-old-build.u64").write_bytes(b"")
    docstore.remove_unused(tmp_path, {name})
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_column_kept_beside_the_texts_comes_back_as_a_matrix(tmp_path):
    """Signatures are kept beside the texts and read back (for any rows, in their
    order) as one matrix, equal to the column they were written from."""
    import numpy as np

    table = pa.Table.from_pylist(_documents(30), schema=arrow_schema("documents"))
    sigs = np.arange(30 * 4, dtype=np.uint32).reshape(30, 4)
    table = table.append_column("_sig", pa.FixedSizeListArray.from_arrays(pa.array(sigs.reshape(-1)), 4))
    store, metas = docstore.Store(tmp_path), []
    for lo in range(0, 30, 7):
        meta, name = docstore.split_texts(table.slice(lo, 7), tmp_path, also=("_sig",))
        assert "_sig" not in meta.column_names and docstore.TEXT not in meta.column_names
        metas.append(meta.append_column(docstore.FILE, pa.array([len(store.files)] * meta.num_rows, pa.int32())))
        store.files.append(name)
    meta = pa.concat_tables(metas)
    rows = np.array([29, 0, 14, 7, 8, 3])
    assert (store.matrix(meta.take(pa.array(rows)), "_sig", np.uint32, 4) == sigs[rows]).all()
    assert store.matrix(meta.slice(0, 0), "_sig", np.uint32, 4).shape == (0, 4)
