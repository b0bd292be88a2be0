"""Resolve: the global stage. People merged across spellings and documents,
events merged across documents, countries given their SCO status, and every
count taken over canonical documents. Works on compact state: mentions and
event candidates, never the texts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from flows.annotate import events
from flows.annotate.figures import COMMON_ZIPF, given_names, zipf
from flows.core import gazetteer
from flows.core.text import name_key


def figure_merge_map(mentions: list[dict], gz: gazetteer.Gazetteer) -> dict[str, str]:
    """figure_id -> canonical figure_id, for people the reference does not know
    who were found under several spellings ("Sadir Zhaparov", "Sadyr Japarov")."""
    by_key: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        if m["entity_type"] == "figure" and m["entity_id"] not in gz.figures and " " in m["surface"].strip():
            by_key[name_key(m["surface"])][m["entity_id"]] += 1
    _join_reversed(by_key)
    remap: dict[str, str] = {}
    for ids in by_key.values():
        if len(ids) > 1:
            best = sorted(ids.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for fid in ids:
                if fid != best:
                    remap[fid] = best
    return remap


def _join_reversed(by_key: dict[str, Counter]) -> None:
    """A two-word name seen in both orders, one of them family name first ("Suga Yoshihide",
    "Yoshihide Suga"), is one person: the two keys' figures counted together (in place).
    Two given names ("Paul Simon", "Simon Paul") are left alone: either may be a surname."""
    given = given_names()
    for key in sorted(by_key):
        words = key.split()
        rev = " ".join(reversed(words))
        if len(words) != 2 or rev <= key or rev not in by_key:
            continue
        if words[0] in given and words[1] in given:
            continue
        joined = by_key[key] + by_key[rev]
        by_key[key] = by_key[rev] = joined


# a bare-surname figure goes to the full name with the most documents when that one has at
# least this many times the documents of the next (two people of one surname stay apart)
DOMINANT_SHARE = 3
_SUFFIXES = {"jr", "sr", "jnr", "snr", "ii", "iii", "iv"}


def _name_words(surface: str) -> list[str]:
    """The words of a name without suffixes ("Ferdinand Marcos Jr." -> Ferdinand, Marcos)."""
    return [w for w in surface.replace(",", " ").split() if w.strip(".").lower() not in _SUFFIXES]


def surname_merge_map(mentions: list[dict], gz: gazetteer.Gazetteer) -> dict[str, str]:
    """figure_id -> figure_id, for a figure the reference does not know that was only ever
    named by one word ("President Duda" -> `duda`) when the corpus names one person in full
    with that word as last name, or as first name when it is no given name (`andrzej-duda`;
    `yoon` -> `yoon-suk-yeol`; a lone "Boris" joins no one), or one
    such person in far more documents than any other. A known figure of that surname counts
    as one such person (as its own id)."""
    given = given_names()
    bare_docs: dict[str, set] = defaultdict(set)
    bare_keys: dict[str, str] = {}
    first_words: set[str] = set()
    multi: set[str] = set()
    full_docs: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # key -> fid -> docs
    for m in mentions:
        if m["entity_type"] != "figure":
            continue
        fid, words = m["entity_id"], _name_words(m["surface"])
        if len(words) > 1 or fid in gz.figures:
            multi.add(fid)
            if len(words) > 1:
                full_docs[name_key(words[-1])][fid].add(m["doc_id"])
                first_words.add(name_key(words[0]))
                # the first word only when it is no given name: "Yoon Suk Yeol", not "Boris Johnson"
                if words[0].lower() not in given:
                    full_docs[name_key(words[0])][fid].add(m["doc_id"])
        else:
            bare_docs[fid].add(m["doc_id"])
            bare_keys.setdefault(fid, name_key(" ".join(words)) if words else fid)
    remap: dict[str, str] = {}
    for fid in sorted(set(bare_docs) - multi):
        key = bare_keys[fid]   # of the words as written: "O’Halleran", not the slug "o-halleran"
        if fid in given and (key in first_words or zipf(fid) >= COMMON_ZIPF):
            # a given name alone ("Chris", "Kim", "George") is nobody's surname here, unless
            # no full name opens with it and it is a rare word ("Kaine" after "Tim Kaine")
            continue
        cands = {f: len(d) for f, d in full_docs.get(key, {}).items() if f != fid}
        for known in gz.surnames.get(key, ()):
            cands.setdefault(known, 0)
        ranked = sorted(cands.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) == 1 or (ranked and ranked[0][1] >= DOMINANT_SHARE * max(ranked[1][1], 1)):
            remap[fid] = ranked[0][0]
    return remap


def apply_remap(rows: list[dict], remap: dict[str, str], fields: list[str]) -> None:
    if not remap:
        return
    for r in rows:
        for f in fields:
            v = r.get(f)
            if isinstance(v, list):
                r[f] = sorted(dict.fromkeys(remap.get(x, x) for x in v))
            elif v in remap and (f != "entity_id" or r.get("entity_type") == "figure"):
                r[f] = remap[v]


def figures_table(mentions: list[dict], gz: gazetteer.Gazetteer) -> list[dict]:
    surfaces: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, set] = defaultdict(set)
    for m in mentions:
        if m["entity_type"] == "figure":
            surfaces[m["entity_id"]][m["surface"]] += 1
            docs[m["entity_id"]].add(m["doc_id"])
    rows = []
    for fid, forms in surfaces.items():
        ref = gz.figures.get(fid)
        if ref:
            name = ref["name"]
            known = [a.strip() for a in (ref.get("aliases") or "").split("|") if a.strip()]
        else:
            multi = [(c, s) for s, c in forms.items() if " " in s]
            name = sorted(multi, key=lambda cs: (-cs[0], cs[1]))[0][1] if multi else max(forms, key=forms.get)
            known = []
        aliases = sorted({a for a in list(forms) + known if a != name})
        rows.append({
            "figure_id": fid, "name": name, "aliases": aliases, "wikidata_id": None,
            "country_iso3": (ref.get("country_iso3") or None) if ref else None,
            "role": (ref.get("role") or None) if ref else None,
            "in_reference": ref is not None,
            "n_documents": len(docs[fid]), "n_mentions": sum(forms.values()),
        })
    return rows


def sco_status(as_of: date) -> dict[str, tuple[str, date | None, str | None]]:
    """iso3 -> (status, since, since_precision) as of a date, from the dated periods
    of seeds/reference/sco_membership.csv."""
    out: dict[str, tuple] = {}
    for r in gazetteer.read_csv("sco_membership.csv"):
        since_raw = (r.get("since") or "").strip()
        prec = (r.get("since_precision") or "day").strip() or "day"
        since = None
        if since_raw:
            since = date.fromisoformat(since_raw) if len(since_raw) == 10 else date(int(since_raw[:4]), 1, 1)
        until = (r.get("until") or "").strip()
        until_d = date.fromisoformat(until) if len(until) == 10 else (date(int(until[:4]), 1, 1) if until else None)
        if (since is None or since <= as_of) and (until_d is None or as_of < until_d):
            prev = out.get(r["iso3"])
            if prev is None or (since and (prev[1] is None or since > prev[1])):
                out[r["iso3"]] = (r["status"], since, prec if since else None)
    return out


def countries_table(mentions: list[dict], gz: gazetteer.Gazetteer, as_of: date) -> list[dict]:
    n_m: Counter = Counter()
    n_d: dict[str, set] = defaultdict(set)
    for m in mentions:
        if m["entity_type"] == "country":
            n_m[m["entity_id"]] += 1
            n_d[m["entity_id"]].add(m["doc_id"])
    status = sco_status(as_of)
    rows = []
    for iso3 in sorted(set(n_m) | set(status)):
        ref = gz.countries.get(iso3)
        if ref is None:
            continue
        st, since, prec = status.get(iso3, ("none", None, None))
        rows.append({
            "iso3": iso3, "iso2": ref["iso2"], "name": ref["name"], "sco_status": st,
            "sco_status_since": since, "sco_status_since_precision": prec,
            "wikidata_id": ref.get("wikidata_id") or None,
            "n_documents": len(n_d[iso3]), "n_mentions": n_m[iso3],
        })
    return rows


def _rows_of_type(mentions: pa.Table, entity_type: str) -> list[dict]:
    """Mentions of one entity type as rows: only the columns resolve reads."""
    t = mentions.filter(pc.fill_null(pc.equal(mentions["entity_type"], entity_type), False))
    return t.select(["doc_id", "entity_type", "entity_id", "surface"]).to_pylist()


def remap_column(column, remap: dict[str, str], where=None):
    """`column` with each value found in `remap` replaced (only in rows `where` holds)."""
    if not remap:
        return column
    idx = pc.index_in(column, value_set=pa.array(list(remap), pa.string()))
    hit = pc.is_valid(idx) if where is None else pc.and_(pc.is_valid(idx), where)
    return pc.if_else(hit, pc.take(pa.array(list(remap.values()), pa.string()), idx), column)


def _with_column(t: pa.Table, name: str, column) -> pa.Table:
    i = t.schema.get_field_index(name)
    return t.set_column(i, t.schema.field(name), column)


def resolve(mentions: pa.Table, quotes: pa.Table, candidates: list[dict], as_of: date) -> dict:
    """figures, countries and events, and the mentions and quotes rewritten with people
    merged across spellings. Works on the Arrow tables: only figure and country
    mentions become Python rows, a few columns of them; event candidates are rewritten
    in place."""
    gz = gazetteer.load()
    figures = _rows_of_type(mentions, "figure")
    remap = figure_merge_map(figures, gz)
    apply_remap(figures, remap, ["entity_id"])
    # then a figure named by its surname alone joins the full name of the corpus
    by_surname = surname_merge_map(figures, gz)
    apply_remap(figures, by_surname, ["entity_id"])
    remap = {k: by_surname.get(v, v) for k, v in remap.items()} | by_surname
    apply_remap(candidates, remap, ["figure_ids"])
    if remap:
        is_figure = pc.fill_null(pc.equal(mentions["entity_type"], "figure"), False)
        mentions = _with_column(mentions, "entity_id", remap_column(mentions["entity_id"], remap, is_figure))
        quotes = _with_column(quotes, "figure_id", remap_column(quotes["figure_id"], remap))
    return {
        "figures": figures_table(figures, gz),
        "countries": countries_table(_rows_of_type(mentions, "country"), gz, as_of),
        "events": events.merge_events(candidates),
        "mentions": mentions,
        "quotes": quotes,
    }
