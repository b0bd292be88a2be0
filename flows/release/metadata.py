"""Release metadata from the schemas: Frictionless datapackage.json and Croissant.
"""
from __future__ import annotations

from flows.release.about import DATASET_LICENCE, NAME, OFFSETS_NOTE, TITLE
from flows.release.text_policy import TEXT_LICENCES
from schemas.generate import columns
from schemas.registry import COLUMN_TYPES
from schemas.tables import REGISTRY

# ---------------------------------------------------------------- metadata from the schemas

# Columns that name a row of another table (datapackage foreignKeys, Croissant references):
# (column, table, its key column) per table, from the registry.
FOREIGN_KEYS = {name: [(fk.column, fk.table, fk.key) for fk in t.foreign_keys]
                for name, t in REGISTRY.items() if t.foreign_keys}


def primary_key(table: str) -> list[str]:
    """The table's primary key (the registry's), empty for a table without one."""
    return list(REGISTRY[table].primary_key)


def _constraints(table: str) -> dict[str, dict]:
    """Frictionless constraints from the pandera model's checks."""
    out = {}
    for name, c in REGISTRY[table].model.to_schema().columns.items():
        cons: dict = {}
        if not c.nullable:
            cons["required"] = True
        if c.unique:
            cons["unique"] = True
        for chk in c.checks:
            st = chk.statistics or {}
            if chk.name == "isin":
                cons["enum"] = list(st["allowed_values"])
            elif chk.name == "str_matches":
                cons["pattern"] = str(st["pattern"]).removeprefix("^").removesuffix("$")
            elif chk.name == "greater_than_or_equal_to":
                cons["minimum"] = st["min_value"]
            elif chk.name == "in_range":
                cons["minimum"], cons["maximum"] = st["min_value"], st["max_value"]
        out[name] = cons
    return out


def _table_description(table: str) -> str:
    return REGISTRY[table].description


def _column_description(table: str, name: str, desc: str, text_mode: str) -> str:
    if table == "documents" and name == "text" and text_mode != "full":
        return desc + f". In this release (--text {text_mode}): " + OFFSETS_NOTE
    if name in ("start", "end", "evidence_start", "evidence_end"):
        return desc + " (into the FULL text: see documents.content_sha256)"
    return desc


def datapackage(version: str, files: dict[str, list[str]], hashes: dict[str, str], sizes: dict[str, int],
                manifest: dict, base_url: str | None = None) -> dict:
    """A Frictionless (tabular) Data Package, generated from the pandera models."""
    resources = [_resource(table, rels, hashes, sizes, manifest, base_url) for table, rels in files.items()]
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "version": version,
        "description": ("Documents about the Shanghai Cooperation Organisation, Russia-China relations and their "
                        "neighbours, with the countries, people, events, quantities and quotes found in them; "
                        "every annotation points at its document and character offsets. " + OFFSETS_NOTE),
        "homepage": base_url or "",
        "created": manifest["built_at"],
        "keywords": ["SCO", "Shanghai Cooperation Organisation", "diplomacy", "events", "PLOVER", "news"],
        "licenses": [DATASET_LICENCE],
        "sources": [{"title": s} for s in manifest["sources"]] or [{"title": "seeds/documents"}],
        "contributors": [{"title": "sco-open-data contributors", "role": "author"}],
        "resources": resources,
    }


def _resource(table: str, rels: list[str], hashes: dict[str, str], sizes: dict[str, int], manifest: dict,
              base_url: str | None) -> dict:
    """One table as a Frictionless tabular data resource."""
    res = {
        "name": table,
        "path": [_url(base_url, r) for r in rels] if len(rels) > 1 else _url(base_url, rels[0]),
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "title": table,
        "description": (f"{_table_description(table)} Rows sorted by {', '.join(REGISTRY[table].sort_key)}. "
                        f"{manifest['tables'][table]['rows']} rows."),
        "schema": _table_schema(table, manifest["text"]["mode"]),
    }
    if len(rels) == 1:
        res["bytes"] = sizes[rels[0]]
        res["hash"] = f"sha256:{hashes[rels[0]]}"
    if table == "documents":
        res["licenses"] = [TEXT_LICENCES[k] for k in sorted(TEXT_LICENCES)] + [DATASET_LICENCE]
    return res


def _table_schema(table: str, text_mode: str) -> dict:
    """A Frictionless Table Schema: fields with their constraints, primary and foreign keys."""
    cons = _constraints(table)
    fields = []
    for n, t, _nl, d in columns(table):
        f = {"name": n, "type": COLUMN_TYPES[t].frictionless,
             "description": _column_description(table, n, d, text_mode)}
        if cons[n]:
            f["constraints"] = cons[n]
        fields.append(f)
    schema = {"fields": fields, "missingValues": []}
    if primary_key(table):
        schema["primaryKey"] = primary_key(table)
    fks = [{"fields": fk.column, "reference": {"resource": fk.table, "fields": fk.key}}
           for fk in REGISTRY[table].foreign_keys]
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _url(base_url: str | None, rel: str) -> str:
    return f"{base_url.rstrip('/')}/{rel}" if base_url else rel


_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def croissant(version: str, files: dict[str, list[str]], hashes: dict[str, str], manifest: dict,
              citation: str, base_url: str | None = None) -> dict:
    """MLCommons Croissant 1.0 JSON-LD, generated from the pandera models."""
    distribution, record_sets = [], []
    for table, rels in files.items():
        source, src = _file_source(table, rels, hashes, base_url)
        distribution.append(source)
        record_sets.append(_record_set(table, src, manifest["text"]["mode"]))
    return {
        "@context": _CONTEXT,
        "@type": "sc:Dataset",
        "name": NAME,
        "description": ("Documents about the Shanghai Cooperation Organisation, Russia-China relations and their "
                        "neighbours, with the countries, people, events, quantities and quotes found in them. "
                        + OFFSETS_NOTE),
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": citation,
        "license": DATASET_LICENCE["path"],
        "url": base_url or "https://example.org/sco-open-data",
        "version": version,
        "datePublished": manifest["built_at"][:10],
        "keywords": ["SCO", "Shanghai Cooperation Organisation", "diplomacy", "events", "news"],
        "creator": {"@type": "sc:Organization", "name": "sco-open-data contributors"},
        "distribution": distribution,
        "recordSet": record_sets,
    }


def _file_source(table: str, rels: list[str], hashes: dict[str, str], base_url: str | None) -> tuple[dict, dict]:
    """A table's Croissant FileObject (one file) or FileSet (parts), and how a field names it."""
    if len(rels) == 1:
        src_id = rels[0]
        return ({"@type": "cr:FileObject", "@id": src_id, "name": src_id,
                 "description": f"The {table} table.",
                 "contentUrl": _url(base_url, rels[0]),
                 "encodingFormat": "application/x-parquet",
                 "sha256": hashes[rels[0]]},
                {"fileObject": {"@id": src_id}})
    src_id = f"{table}-parts"
    return ({"@type": "cr:FileSet", "@id": src_id, "name": src_id,
             "description": f"The {table} table, as Parquet parts.",
             "encodingFormat": "application/x-parquet",
             "includes": f"{table}/*.parquet"},
            {"fileSet": {"@id": src_id}})


def _record_set(table: str, src: dict, text_mode: str) -> dict:
    """A table as a Croissant RecordSet: its fields, references and key."""
    refs = REGISTRY[table].references()
    fields = []
    for n, t, _nl, d in columns(table):
        f = {
            "@type": "cr:Field", "@id": f"{table}/{n}", "name": n,
            "description": _column_description(table, n, d, text_mode),
            "dataType": COLUMN_TYPES[t].croissant,
            "source": {**src, "extract": {"column": n}},
        }
        if t == "list<string>":
            f["repeated"] = True
        if n in refs and refs[n].table != table:  # Croissant has no self-references (a cycle)
            f["references"] = {"field": {"@id": f"{refs[n].table}/{refs[n].key}"}}
        fields.append(f)
    rs = {"@type": "cr:RecordSet", "@id": table, "name": table,
          "description": _table_description(table), "field": fields}
    if primary_key(table):
        rs["key"] = [{"@id": f"{table}/{k}"} for k in primary_key(table)]
    return rs
