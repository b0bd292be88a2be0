"""Build the curated reference tables in seeds/reference/ from ../shared/reference.

Run from the repository root:

    python seeds/reference/build_reference.py [--shared PATH]

Inputs: the source tables in ``../shared/reference`` (see that folder's
PROVENANCE.md) and the hand-written additions in ``seeds/reference/curated/``.
Outputs (committed, so the pipeline never reads ../shared at run time):
countries.csv, sco_membership.csv, sco_summits.csv, organizations.csv,
places.csv, figures.csv. Output is deterministic: rows sorted by id, lists
inside a cell separated by ``|`` in a fixed order.

The script ends with a consistency check that raises on failure.
"""
from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd
from anyascii import anyascii

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CURATED = HERE / "curated"
SEP = "|"


# --------------------------------------------------------------------------- helpers
def slug(text: str) -> str:
    s = anyascii(text).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def fold(text: str) -> str:
    """Key for comparing surface forms: accents, case, apostrophes, spaces folded."""
    s = anyascii(unicodedata.normalize("NFC", text)).casefold()
    return re.sub(r"\s+", " ", s).strip()


def split_list(cell: str) -> list[str]:
    return [x.strip() for x in (cell or "").split(SEP) if x.strip()]


def uniq(items, exclude=()) -> list[str]:
    """Order-preserving de-duplication on folded form; drops anything in exclude."""
    seen = {fold(x) for x in exclude if x}
    out = []
    for x in items:
        x = (x or "").strip()
        if x and fold(x) not in seen:
            seen.add(fold(x))
            out.append(x)
    return out


def read_csv(path: Path) -> pd.DataFrame:
    # keep_default_na=False: "NA" is Namibia's alpha-2 code, not a missing value
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}


def clean_date_text(s: str) -> str:
    # the source has a Cyrillic "с" in "Oсtober"; anyascii maps it to Latin "s",
    # so replace Cyrillic look-alikes explicitly
    s = s.translate(str.maketrans({"с": "c", "о": "o", "е": "e", "а": "a", "р": "p"}))
    return s.replace("\u2013", "-").replace("\u2014", "-").strip()


def parse_day(s: str) -> str:
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", s.strip())
    if not m:
        raise ValueError(f"not a day date: {s!r}")
    return f"{int(m[3]):04d}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}"


def parse_range(text: str) -> tuple[str, str, str]:
    """'14–15 June 2001', '7 June 2002', '31 August – 1 September 2025', '2026'
    -> (start, end, precision)."""
    s = clean_date_text(text)
    if re.fullmatch(r"\d{4}", s):
        return s, s, "year"
    m = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2}) ([A-Za-z]+) (\d{4})", s)
    if m:
        return parse_day(f"{m[1]} {m[3]} {m[4]}"), parse_day(f"{m[2]} {m[3]} {m[4]}"), "day"
    m = re.fullmatch(r"(\d{1,2} [A-Za-z]+)\s*-\s*(\d{1,2} [A-Za-z]+) (\d{4})", s)
    if m:
        return parse_day(f"{m[1]} {m[3]}"), parse_day(f"{m[2]} {m[3]}"), "day"
    d = parse_day(s)
    return d, d, "day"


# --------------------------------------------------------------------------- countries
def build_countries(shared: Path) -> list[dict]:
    src = read_csv(shared / "country-codes.csv")
    cur = read_csv(CURATED / "countries.csv").set_index("iso3", drop=False)
    drop_aliases = {fold(x) for x in ["Congo", "the Congo"]}  # COG vs COD

    def strip_the(s: str) -> str:
        return re.sub(r"^the ", "", s.strip())

    def clean(s: str) -> str:
        return s.replace("\u2019", "'").replace(" *", "").replace("*", "").strip()

    rows = []
    for _, r in src.iterrows():
        iso3 = r["ISO3166-1-Alpha-3"].strip()
        if not iso3:
            continue
        c = cur.loc[iso3] if iso3 in cur.index else None
        cldr = r["CLDR display name"].strip()
        name = clean(cldr).replace(" & ", " and ")
        formal = clean(r["UNTERM English Formal"])
        off_en = clean(r["official_name_en"])
        official = strip_the(formal) if formal else off_en
        capital = r["Capital"].strip()
        if c is not None:
            name = c["name"] or name
            official = c["official_name"] or official
            capital = c["capital"] or capital
        auto = [cldr, clean(cldr)]
        short = clean(r["UNTERM English Short"])
        m = re.fullmatch(r"(.+) \(the\)", short)
        if m:
            auto += [m[1], "the " + m[1]]
        elif short and "(" not in short:
            auto.append(short)
        if off_en and "(" not in off_en:
            auto.append(off_en)
        if formal:
            auto += [formal, strip_the(formal)]
        if official:
            auto.append(official)
            if c is not None and c["official_name"]:  # curated formal name: add "the" form too
                auto.append("the " + official)
        auto = [a for a in auto if fold(a) not in drop_aliases]
        extra = split_list(c["aliases"]) if c is not None else []
        aliases = uniq(auto + extra, exclude=[name])
        amb = split_list(c["ambiguous_names"]) if c is not None else []
        qid = r["wikidata_id"].strip().rsplit("/", 1)[-1]
        if qid and not re.fullmatch(r"Q\d+", qid):
            raise ValueError(f"{iso3}: bad wikidata_id {r['wikidata_id']!r}")
        cap_aliases = split_list(c["capital_aliases"]) if c is not None else []
        if c is not None and c["capital"] and r["Capital"].strip() and fold(c["capital"]) != fold(r["Capital"]):
            cap_aliases.append(r["Capital"].strip())  # e.g. Nur-Sultan for Astana
        rows.append({
            "iso3": iso3, "iso2": r["ISO3166-1-Alpha-2"].strip(), "name": name,
            "official_name": official, "aliases": SEP.join(aliases),
            "demonyms": SEP.join(uniq(split_list(c["demonyms"]))) if c is not None else "",
            "capital": capital,
            "capital_aliases": SEP.join(uniq(cap_aliases, exclude=[capital])),
            "wikidata_id": qid, "ambiguous": "1" if amb else "0",
            "ambiguous_names": SEP.join(amb), "is_independent": r["is_independent"].strip(),
            "note": c["note"] if c is not None else "",
        })
    have = {r["iso3"] for r in rows}
    for iso3, c in cur.iterrows():  # rows absent from country-codes (XKX)
        if iso3 in have:
            continue
        if not c["iso2"] or not c["name"]:
            raise ValueError(f"curated country {iso3} not in country-codes needs iso2 and name")
        al = split_list(c["aliases"]) + ([c["official_name"], "the " + c["official_name"]] if c["official_name"] else [])
        amb = split_list(c["ambiguous_names"])
        rows.append({
            "iso3": iso3, "iso2": c["iso2"], "name": c["name"], "official_name": c["official_name"],
            "aliases": SEP.join(uniq(al, exclude=[c["name"]])),
            "demonyms": SEP.join(uniq(split_list(c["demonyms"]))), "capital": c["capital"],
            "capital_aliases": SEP.join(uniq(split_list(c["capital_aliases"]), exclude=[c["capital"]])),
            "wikidata_id": "", "ambiguous": "1" if amb else "0", "ambiguous_names": SEP.join(amb),
            "is_independent": "", "note": c["note"],
        })
    return sorted(rows, key=lambda r: r["iso3"])


def country_lookup(countries: list[dict]) -> dict[str, str]:
    look = {}
    for r in countries:
        for n in [r["name"], r["official_name"], *split_list(r["aliases"])]:
            look.setdefault(fold(n), r["iso3"])
    return look


def to_iso3(look: dict[str, str], name: str) -> str:
    key = fold(name)
    if key not in look:
        raise KeyError(f"country name not in countries.csv: {name!r}")
    return look[key]


# --------------------------------------------------------------------------- SCO summits
def build_summits(shared: Path, look: dict[str, str]) -> list[dict]:
    src = read_csv(shared / "sco_summits.csv")
    rows = []
    for _, r in src.iterrows():
        start, end, prec = parse_range(r["dates"])
        notes = []
        if "\u0441" in r["dates"]:
            notes.append("source date had a Cyrillic letter in the month name (fixed)")
        fmt = r["format"].strip()
        planned = fmt.startswith("planned")
        if planned:
            notes.append("planned")
            fmt = ""
        elif fmt == "videoconference":
            fmt = "virtual"
            notes.append("videoconference; host = chair")
        elif fmt != "in-person":
            raise ValueError(f"unknown format {fmt!r}")
        host = r["host_country"].strip()
        host_iso3 = "" if host in ("", "TBD", "TBA") else to_iso3(look, host)
        city = r["city"].strip()
        if city in ("TBD", "TBA"):
            city = ""
        rows.append({
            "council": r["council"], "seq": int(r["seq_in_table"]), "start_date": start,
            "end_date": end, "date_precision": prec, "host_iso3": host_iso3, "city": city,
            "country": host if host_iso3 else "", "format": fmt, "note": "; ".join(notes),
        })
    rows.sort(key=lambda r: (r["council"], r["seq"]))
    # spot checks asked for in the brief
    hos = {(r["start_date"], r["end_date"], r["host_iso3"], r["city"], r["format"]) for r in rows
           if r["council"] == "heads_of_state"}
    for want in [("2023-07-04", "2023-07-04", "IND", "", "virtual"),
                 ("2024-07-03", "2024-07-04", "KAZ", "Astana", "in-person"),
                 ("2022-09-15", "2022-09-16", "UZB", "Samarkand", "in-person"),
                 ("2021-09-16", "2021-09-17", "TJK", "Dushanbe", "in-person"),
                 ("2001-06-14", "2001-06-15", "CHN", "Shanghai", "in-person")]:
        assert want in hos, f"summit check failed: {want}"
    return rows


# --------------------------------------------------------------------------- SCO membership
ROWSPAN_CHECKS = {
    ("Kazakhstan", "member"): "member_since came from a merged cell (China's row); 15 June 2001 is the founding date of all six founders, the day of the 2001 Shanghai summit (14-15 June 2001)",
    ("Kyrgyzstan", "member"): "member_since came from a merged cell (China's row); 15 June 2001 is the founding date of all six founders, the day of the 2001 Shanghai summit (14-15 June 2001)",
    ("Russia", "member"): "member_since came from a merged cell (China's row); 15 June 2001 is the founding date of all six founders, the day of the 2001 Shanghai summit (14-15 June 2001)",
    ("Tajikistan", "member"): "member_since came from a merged cell (China's row); 15 June 2001 is the founding date of all six founders, the day of the 2001 Shanghai summit (14-15 June 2001)",
    ("Uzbekistan", "member"): "member_since came from a merged cell (China's row); 15 June 2001 is the founding date of all six founders, the day of the 2001 Shanghai summit (14-15 June 2001)",
    ("Pakistan", "member"): "dates came from a merged cell (India's row); India and Pakistan joined together: 9 June 2017 is the second day of the Astana summit (8-9 June 2017)",
    ("Pakistan", "former_observer"): "date came from a merged cell (India's row); India, Pakistan and Iran became observers together at the Astana summit of 5 July 2005",
    ("Iran", "former_observer"): "date came from a merged cell (India's row); India, Pakistan and Iran became observers together at the Astana summit of 5 July 2005",
    ("Qatar", "dialogue_partner"): "dates came from a merged cell (Egypt's row); approval 16 September 2021 is the first day of the Dushanbe summit (16-17 September 2021); the granting date 14 September 2022 (eve of the Samarkand summit) cannot be checked against the stored sources and is kept as given",
    ("Saudi Arabia", "dialogue_partner"): "dates came from a merged cell (Egypt's row); approval 16 September 2021 is the first day of the Dushanbe summit (16-17 September 2021); the granting date 14 September 2022 (eve of the Samarkand summit) cannot be checked against the stored sources and is kept as given",
    ("Maldives", "dialogue_partner"): "dates came from a merged cell (Kuwait's row); approval 16 September 2022 is the second day of the Samarkand summit (15-16 September 2022); the granting date 5 May 2023 cannot be checked against the stored sources and is kept as given",
    ("Myanmar", "dialogue_partner"): "dates came from a merged cell (Kuwait's row); approval 16 September 2022 is the second day of the Samarkand summit (15-16 September 2022); the granting date 5 May 2023 cannot be checked against the stored sources and is kept as given",
    ("United Arab Emirates", "dialogue_partner"): "dates came from a merged cell (Kuwait's row); approval 16 September 2022 is the second day of the Samarkand summit (15-16 September 2022); the granting date 5 May 2023 cannot be checked against the stored sources and is kept as given",
}


def parse_status_date(text: str) -> tuple[str, str, list[str]]:
    notes = []
    s = clean_date_text(text)
    m = re.fullmatch(r"(.*?)\s*\((.+)\)", s)
    if m:
        s, paren = m[1].strip(), m[2].strip()
        notes.append(paren[0].lower() + paren[1:])
    m = re.fullmatch(r"(\d{1,2}) or (\d{1,2}) ([A-Za-z]+) (\d{4})", s)
    if m:
        notes.append(f"source gives '{s}' (the Yekaterinburg summit, 15-16 June 2009): first day taken")
        return parse_day(f"{m[1]} {m[3]} {m[4]}"), "day", notes
    if re.fullmatch(r"\d{4}", s):
        return s, "year", notes
    return parse_day(s), "day", notes


def build_membership(shared: Path, look: dict[str, str], summits: list[dict]) -> list[dict]:
    src = read_csv(shared / "sco_membership.csv")
    ranges = [(s["start_date"], s["end_date"]) for s in summits
              if s["council"] == "heads_of_state" and s["date_precision"] == "day"]

    def on_summit(day: str) -> bool:
        return any(a <= day <= b for a, b in ranges)
    periods = []
    for _, r in src.iterrows():
        country, status = r["country"].strip(), r["status"].strip()
        iso3 = to_iso3(look, country)
        base = status.replace("former_", "")
        notes = []
        if base == "member":
            since, prec, n = parse_status_date(r["member_since"])
            notes += n
            acc = r["accession_started"].strip()
            if acc and acc != "\u2014":
                notes.append(f"accession procedure started {acc} per source")
                if not on_summit(parse_day(clean_date_text(acc))):
                    notes.append("that accession date is not the date of any heads-of-state summit in "
                                 "sco_summits.csv (the Ufa summit was 9-10 July 2015): month possibly "
                                 "wrong in the source; not used here")
            if prec == "day" and not on_summit(since):
                notes.append("member_since is not a summit date")
        elif base == "observer":
            since, prec, n = parse_status_date(r["status_granted"])
            notes += n
        elif base == "dialogue_partner":
            since, prec, n = parse_status_date(r["status_approved"])
            notes += n
            granted = r["status_granted"].strip()
            if granted:
                notes.append(f"since = status approved; status granted {parse_day(clean_date_text(granted))}")
            else:
                notes.append("source gives one date only (status approved column)")
        else:
            raise ValueError(f"unknown status {status!r}")
        if r["inherited_from_rowspan"].strip() == "True":
            key = (country, status)
            if key not in ROWSPAN_CHECKS:
                raise ValueError(f"unchecked rowspan row: {key}")
            notes.append("CHECKED: " + ROWSPAN_CHECKS[key])
        periods.append({"iso3": iso3, "status": base, "since": since, "since_precision": prec,
                        "until": "", "former": status.startswith("former_"), "note": notes})
    # a former period ends when the country's next status began
    by_country = defaultdict(list)
    for p in periods:
        by_country[p["iso3"]].append(p)
    for iso3, ps in by_country.items():
        ps.sort(key=lambda p: p["since"])
        for i, p in enumerate(ps):
            if p["former"]:
                if i + 1 >= len(ps):
                    raise ValueError(f"{iso3}: former {p['status']} with no later status")
                p["until"] = ps[i + 1]["since"]
            elif i + 1 < len(ps):
                raise ValueError(f"{iso3}: current {p['status']} followed by another period")
    # India's earlier observer period is given in the source (former_observer); the
    # known date: India 5 July 2005 -> 9 June 2017 is checked here
    india = [p for p in by_country["IND"] if p["status"] == "observer"]
    assert india and india[0]["since"] == "2005-07-05" and india[0]["until"] == "2017-06-09"
    rows = []
    for p in periods:
        rows.append({"iso3": p["iso3"], "status": p["status"], "since": p["since"],
                     "since_precision": p["since_precision"], "until": p["until"],
                     "note": "; ".join(p["note"])})
    return sorted(rows, key=lambda r: (r["iso3"], r["since"]))


# --------------------------------------------------------------------------- organizations
def build_organizations(shared: Path) -> list[dict]:
    cur = read_csv(CURATED / "organizations.csv")
    wiki = shared.parent / "corpora" / "wikipedia"
    rows = []
    for _, r in cur.iterrows():
        cs = split_list(r["case_sensitive_aliases"])
        al = uniq(split_list(r["aliases"]) + cs, exclude=[r["name"]])
        src = "curated"
        if r["checked_in"]:
            f = wiki / r["checked_in"]
            if f.exists():
                text = f.read_text(encoding="utf-8")
                if r["name"] not in text:
                    raise ValueError(f"{r['org_id']}: name {r['name']!r} not found in {f.name}")
                src = f"curated; checked against Wikipedia '{f.stem}'"
        rows.append({"org_id": r["org_id"], "name": r["name"], "aliases": SEP.join(al),
                     "kind": r["kind"], "case_sensitive": "1" if cs else "0",
                     "case_sensitive_aliases": SEP.join(cs), "source": src})
    return sorted(rows, key=lambda r: r["org_id"])


# --------------------------------------------------------------------------- places
def build_places(shared: Path, countries: list[dict], look: dict[str, str]) -> list[dict]:
    indep = {r["iso3"]: r["is_independent"] == "Yes" for r in countries}
    cand = []  # (name, aliases, iso3, kind, note)
    for r in countries:
        if r["capital"]:
            cand.append((r["capital"], split_list(r["capital_aliases"]), r["iso3"], "city",
                         f"capital of {r['name']}"))
    for _, r in read_csv(shared / "sco_summits.csv").iterrows():
        city = r["city"].strip()
        if city and city not in ("TBD", "TBA"):
            cand.append((city, [], to_iso3(look, r["host_country"]), "city", "SCO summit venue"))
    for _, r in read_csv(shared / "brics_summits.csv").iterrows():
        city = r["city"].strip()
        if city and city not in ("TBD", "TBA"):
            city = city.split(",")[0].strip()  # "Benaulim, Goa"
            cand.append((city, [], to_iso3(look, r["host_country"]), "city", "BRICS summit venue"))
    for _, r in read_csv(CURATED / "places.csv").iterrows():
        cand.append((r["name"], split_list(r["aliases"]), r["country_iso3"], r["kind"], r["note"]))
    merged: dict[tuple[str, str], dict] = {}
    for name, al, iso3, kind, note in cand:
        key = (slug(name), iso3)
        if key in merged:
            m = merged[key]
            m["aliases"] = uniq(m["aliases"] + al + [name], exclude=[m["name"]])
            if note and note not in m["notes"]:
                m["notes"].append(note)
        else:
            merged[key] = {"name": name, "aliases": uniq(al, exclude=[name]), "iso3": iso3,
                           "kind": kind, "notes": [note] if note else []}
    by_slug = defaultdict(list)
    for (s, iso3), m in merged.items():
        by_slug[s].append(m)
    rows = []
    for s, ms in by_slug.items():
        if len(ms) == 1:
            ids = [s]
        else:  # same name in two countries: the sovereign state's city keeps the plain id
            n_indep = sum(indep.get(m["iso3"], False) for m in ms)
            ids = [s if (n_indep == 1 and indep.get(m["iso3"], False)) else f"{s}-{m['iso3'].lower()}"
                   for m in ms]
        for pid, m in zip(ids, ms):
            rows.append({"place_id": pid, "name": m["name"], "aliases": SEP.join(m["aliases"]),
                         "country_iso3": m["iso3"], "kind": m["kind"], "note": "; ".join(m["notes"])})
    return sorted(rows, key=lambda r: r["place_id"])


# --------------------------------------------------------------------------- figures
TITLE_WORDS = {
    "president", "minister", "prime", "premier", "chairman", "chairwoman", "secretary",
    "general", "leader", "foreign", "defense", "defence", "king", "queen", "prince",
    "sheikh", "ayatollah", "hojatolislam", "sayyed", "mr", "mr.", "mrs", "dr", "dr.", "senator",
    "governor", "vice", "deputy", "speaker", "chancellor", "mayor", "former", "acting",
    "ambassador", "pm", "gen", "gen.", "col", "admiral", "marshal", "spokesman", "envoy",
    "chief", "head", "candidate", "sen.", "rep.", "the", "of", "elect", "gov", "gov.",
    "administration", "government", "regime", "office", "kanzler", "bundeskanzler",
}
PARTICLES = {"da", "de", "do", "dos", "das", "van", "von", "der", "bin", "ibn", "la", "le", "du"}
SINGLE_TOKEN_OK = {"Lula", "Jokowi"}  # well-known names that are not surnames
# truncated spellings in the Phoenix dictionary (DMITR_MEDVEDEV_ is the entry that
# carries Medvedev's role codes, so the entry is used but these forms are not)
PHOENIX_TYPOS = {"Dmitr Medvedev", "Dimitr Anatolyevich Medvedev"}


def phoenix_name(key: str) -> str:
    toks = [t for t in key.strip().strip("_").split("_") if t]
    out = []
    for i, t in enumerate(toks):
        low = t.lower()
        if i and low in PARTICLES:
            out.append(low)
            continue
        out.append("-".join("'".join(p[:1].upper() + p[1:] for p in part.split("'"))
                            for part in low.split("-")))
    return " ".join(out)


def load_phoenix(shared: Path) -> dict[str, dict]:
    ents: dict[str, dict] = {}
    cur = None
    for fn in sorted((shared / "phoenix").glob("Phoenix.*.actors.txt")):
        for line in fn.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] not in "+\t [":
                key = line.split()[0].strip().rstrip("_")
                cur = ents.setdefault(key, {"aliases": [], "roles": []})
                cur["roles"] += re.findall(r"\[([^\]]+)\]", line.split("#")[0])
            elif line.startswith("+") and cur is not None:
                cur["aliases"].append(line[1:].split("#")[0].strip())
            elif cur is not None:
                cur["roles"] += re.findall(r"\[([^\]]+)\]", line.split("#")[0])
    return ents


def build_figures(shared: Path, countries: list[dict]) -> list[dict]:
    cur = read_csv(CURATED / "figures.csv")
    ph = load_phoenix(shared)
    demonym_tokens = {fold(d) for r in countries for d in split_list(r["demonyms"])}
    rows = []
    for _, r in cur.iterrows():
        name = r["name"].strip()
        aliases = split_list(r["aliases"])
        keys = split_list(r["phoenix_keys"])
        roles = []
        for k in keys:
            k = k.rstrip("_")
            if k not in ph:
                raise KeyError(f"{name}: Phoenix key {k} not found")
            roles += ph[k]["roles"]
            for a in [k] + ph[k]["aliases"]:
                a = phoenix_name(a)
                toks = a.split()
                if len(toks) < 2:
                    continue  # bare surnames: the pipeline derives them
                parts = [p for t in toks for p in t.split("-")]
                if any(p.lower() in TITLE_WORDS or fold(p) in demonym_tokens for p in parts):
                    continue  # titles are stripped by the pipeline
                if any(t.startswith(".") or (t[0].islower() and t not in PARTICLES) for t in toks):
                    continue  # malformed dictionary entries such as "A .medvedev"
                if a in PHOENIX_TYPOS or any(ch.isdigit() for ch in a):
                    continue
                aliases.append(a)
        if keys:
            prefixes = {x.split()[0][:3] for x in roles if x.split()}
            if r["country_iso3"] not in prefixes and "IGO" not in prefixes:
                print(f"  note: {name}: Phoenix role codes {sorted(prefixes)} do not include {r['country_iso3']}")
        rows.append({
            "figure_id": slug(name), "name": name, "aliases": SEP.join(uniq(aliases, exclude=[name])),
            "country_iso3": r["country_iso3"], "role": r["role"], "role_start": r["role_start"],
            "role_end": r["role_end"], "source": "phoenix+curated" if keys else "curated",
        })
    return sorted(rows, key=lambda r: r["figure_id"])


# --------------------------------------------------------------------------- checks
DATE_RE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def check(out: Path) -> None:
    t = {n: read_csv(out / f"{n}.csv") for n in
         ["countries", "sco_membership", "sco_summits", "organizations", "places", "figures"]}
    errors = []

    def err(msg):
        errors.append(msg)

    for name, id_col in [("countries", "iso3"), ("organizations", "org_id"),
                         ("places", "place_id"), ("figures", "figure_id")]:
        d = t[name]
        if d[id_col].duplicated().any():
            err(f"{name}: duplicate {id_col}: {sorted(d.loc[d[id_col].duplicated(), id_col])}")
        if (d[id_col] == "").any() or (d["name"].str.strip() == "").any():
            err(f"{name}: empty id or name")
    iso3s = set(t["countries"]["iso3"])
    for name, col in [("figures", "country_iso3"), ("places", "country_iso3"),
                      ("sco_membership", "iso3"), ("sco_summits", "host_iso3")]:
        bad = set(t[name][col]) - iso3s - {""}
        if bad:
            err(f"{name}.{col} not in countries: {sorted(bad)}")
    if (t["figures"]["country_iso3"] == "").any() or (t["sco_membership"]["iso3"] == "").any():
        err("empty iso3 in figures or sco_membership")
    for name in ["countries", "figures", "organizations"]:
        id_col = {"countries": "iso3", "figures": "figure_id", "organizations": "org_id"}[name]
        owner = defaultdict(set)
        for _, r in t[name].iterrows():
            forms = [r["name"], *split_list(r["aliases"])]
            if name == "countries":
                forms.append(r["official_name"])
            for a in forms:
                if a:
                    owner[fold(a)].add(r[id_col])
        shared_forms = {a: sorted(o) for a, o in owner.items() if len(o) > 1}
        if shared_forms:
            err(f"{name}: alias shared by two rows: {shared_forms}")
    dem = defaultdict(set)
    for _, r in t["countries"].iterrows():
        for d in split_list(r["demonyms"]):
            dem[fold(d)].add(r["iso3"])
    if any(len(v) > 1 for v in dem.values()):
        err(f"countries: demonym shared: {[k for k, v in dem.items() if len(v) > 1]}")
    for _, r in t["figures"].iterrows():
        for a in split_list(r["aliases"]):
            toks = a.split()
            if len(toks) < 2 and a not in SINGLE_TOKEN_OK:
                err(f"figures: bare name alias {a!r} for {r['figure_id']}")
            if any(p.lower() in TITLE_WORDS for t in toks for p in t.split("-")
                   if p.lower() not in ("of", "the")):
                err(f"figures: title in alias {a!r}")
        if r["figure_id"] != slug(r["name"]):
            err(f"figures: id {r['figure_id']} is not the slug of {r['name']}")
        for c in ["role_start", "role_end"]:
            if r[c] and not DATE_RE.match(r[c]):
                err(f"figures: bad {c} {r[c]!r}")
        if r["role_start"] and r["role_end"] and r["role_start"][:4] > r["role_end"][:4]:
            err(f"figures: role_end before role_start for {r['figure_id']}")
    m = t["sco_membership"]
    if not set(m["status"]) <= {"member", "observer", "dialogue_partner"}:
        err("sco_membership: bad status")
    for _, r in m.iterrows():
        if not DATE_RE.match(r["since"]) or (r["until"] and not DATE_RE.match(r["until"])):
            err(f"sco_membership: bad date in {dict(r)}")
        if r["until"] and r["until"] <= r["since"][:len(r["until"])] and r["until"][:4] < r["since"][:4]:
            err(f"sco_membership: until before since in {dict(r)}")
    cur_status = m[m["until"] == ""]
    if cur_status["iso3"].duplicated().any():
        err("sco_membership: a country has two current statuses")
    members = set(cur_status.loc[cur_status["status"] == "member", "iso3"])
    if members != {"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"}:
        err(f"sco_membership: unexpected current members {sorted(members)}")
    s = t["sco_summits"]
    if not set(s["format"]) <= {"in-person", "virtual", ""}:
        err("sco_summits: bad format")
    if ((s["format"] == "") != s["note"].str.contains("planned")).any():
        err("sco_summits: empty format only for planned summits")
    if (s["start_date"] > s["end_date"]).any():
        err("sco_summits: start after end")
    if errors:
        raise AssertionError("reference check failed:\n  " + "\n  ".join(errors))
    print("check passed:")
    for n, d in t.items():
        print(f"  {n}.csv: {len(d)} rows")
    c = t["countries"]
    print(f"  countries with demonyms: {(c['demonyms'] != '').sum()}, ambiguous: {(c['ambiguous'] == '1').sum()}")
    f = t["figures"]
    print(f"  figures by source: {f['source'].value_counts().to_dict()}")


# --------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "reference",
                    help="folder of the source reference tables (default: ../shared/reference)")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args()
    shared, out = args.shared.resolve(), args.out.resolve()

    countries = build_countries(shared)
    look = country_lookup(countries)
    write_csv(out / "countries.csv", countries,
              ["iso3", "iso2", "name", "official_name", "aliases", "demonyms", "capital",
               "capital_aliases", "wikidata_id", "ambiguous", "ambiguous_names",
               "is_independent", "note"])
    summits = build_summits(shared, look)
    write_csv(out / "sco_membership.csv", build_membership(shared, look, summits),
              ["iso3", "status", "since", "since_precision", "until", "note"])
    write_csv(out / "sco_summits.csv", summits,
              ["council", "seq", "start_date", "end_date", "date_precision", "host_iso3", "city",
               "country", "format", "note"])
    write_csv(out / "organizations.csv", build_organizations(shared),
              ["org_id", "name", "aliases", "kind", "case_sensitive", "case_sensitive_aliases", "source"])
    write_csv(out / "places.csv", build_places(shared, countries, look),
              ["place_id", "name", "aliases", "country_iso3", "kind", "note"])
    write_csv(out / "figures.csv", build_figures(shared, countries),
              ["figure_id", "name", "aliases", "country_iso3", "role", "role_start", "role_end", "source"])
    check(out)


if __name__ == "__main__":
    main()
