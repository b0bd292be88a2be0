"""`scodata report`: one self-contained HTML page that shows a build (or a release).

`make_report(build_dir)` reads the Parquet tables of a build folder (or a release
folder: single files or folders of parts), `build.json` (or a release's
`manifest.json`) and the quality figures `quality.json` / `events_quality.json`
when present (in the folder, or in the `output/` folder that holds
`.builds/<id>/`), and writes `report.html` atomically (a temporary name, then
`os.replace`). The page holds:

- a timeline of events by type, with a `<title>` on each mark (hover) and a
  table of every event with its documents and evidence sentence;
- who met whom: figures on a circle (the top 25 by weighted degree), an edge
  per pair that met in a bilateral, multilateral or ministerial meeting, its
  width growing with the number of meetings;
- countries by mentions, coloured by SCO status, with a legend;
- the quality panel: documents read, kept, duplicates, rejects by reason, rows
  per table, the pandera checks re-run on each table (`flows.publish.validate`),
  and the measured quality figures;
- the text of each canonical document (the first MAX_DOCUMENTS of them) with
  its entities, quantities and quotes highlighted at their character offsets.

Why plain SVG written here rather than Vega-Lite or plotly: the page must open
with no network, so a charting library would have to be inlined (plotly's
bundle is ~3.5 MB, Vega + Vega-Lite + vega-embed ~1 MB) for four simple charts;
SVG needs no JavaScript at all, prints, diffs, and renders the same in every
browser. A Content-Security-Policy meta tag forbids any fetch, so a browser
shows an error if a future change ever makes the page load something.

Every number shown sits in an element with a `data-metric` attribute (and
`data-table`, `data-reason`, `data-iso3` ... where it needs a key), so tests
read what a person sees.
"""
from __future__ import annotations

import html
import json
import math
import os
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pandas as pd

from flows import publish
from schemas.tables import EVENT_TYPES, TABLES

MAX_DOCUMENTS = 200  # document sections shown; a corpus build has thousands
MAX_EVENT_ROWS = 1000  # rows of the event table
MAX_NETWORK_NODES = 25
MAX_COUNTRY_BARS = 30
MEETING_TYPES = ("bilateral_meeting", "multilateral_meeting", "ministerial_meeting")

TYPE_COLOURS = {
    "summit": "#d62728", "bilateral_meeting": "#1f77b4", "multilateral_meeting": "#17becf",
    "ministerial_meeting": "#9467bd", "visit": "#2ca02c", "call": "#e377c2", "accession": "#ff7f0e",
    "agreement": "#8c564b", "statement": "#7f7f7f", "other": "#bcbd22",
}
STATUS_COLOURS = {"member": "#1f77b4", "observer": "#ff7f0e", "dialogue_partner": "#2ca02c", "none": "#b0b0b0"}
STATUS_LABELS = {"member": "member", "observer": "observer", "dialogue_partner": "dialogue partner", "none": "none"}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:16px 24px}
h1{font-size:24px;margin:8px 0 2px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.sub{color:#666;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:110px}
.card .v{font-size:22px;font-weight:600}.card .k{color:#666;font-size:12px}
.cols{display:flex;flex-wrap:wrap;gap:24px}.cols>div{flex:1 1 320px;min-width:0}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333;font-weight:600}.fail{color:#b3261e;font-weight:600}
svg{background:#fff;border:1px solid #ddd;border-radius:6px;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#333}
.legend{display:flex;flex-wrap:wrap;gap:12px;margin:6px 0;font-size:12px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
details{background:#fff;border:1px solid #ddd;border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer;font-weight:600}
.meta{color:#666;font-size:12px;margin:4px 0}
.doctext{white-space:pre-wrap;font:13px/1.55 Georgia,serif;margin:6px 0 8px;max-height:32em;overflow:auto}
.hl{border-radius:2px;padding:0 1px}
.m-country{background:#cfe3ff}.m-figure{background:#ffd9a8}.m-organization{background:#d7f0d2}.m-place{background:#ecd9f7}
.qty{background:#fff3a0;outline:1px solid #d6b800}
.quote{background:#f4f4f4;border-bottom:2px solid #888}
.note{color:#666;font-size:12px}
.evid{max-width:520px}
"""


# ---------------------------------------------------------------- reading

def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _beside(build_dir: Path, name: str) -> dict | None:
    """`name` in the build folder, else in the output folder beside it (output/.builds/<id>/)."""
    places = [build_dir]
    if build_dir.parent.name == ".builds":
        places.append(build_dir.parent.parent)
    for p in places:
        d = _read_json(p / name)
        if d is not None:
            return d
    return None


def read_tables(build_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of the build, as pandas frames typed as flows.publish validates them."""
    from flows.publish.read import read_build_table
    from flows.publish.validation import arrow_frame

    return {name: arrow_frame(read_build_table(build_dir, name)) for name in TABLES}


def schema_checks(tables: dict[str, pd.DataFrame]) -> dict[str, str | None]:
    """Table -> None when it passes its pandera model, else the failure report."""
    res = {}
    for name, df in tables.items():
        try:
            publish.validate({name: df})
            res[name] = None
        except publish.ValidationFailed as e:
            res[name] = e.report
    return res


# ---------------------------------------------------------------- helpers

def esc(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _list(v) -> list:
    if v is None:
        return []
    try:
        return [x for x in v]
    except TypeError:
        return []


def _isnull(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _metric(name: str, value, tag: str = "span", **keys) -> str:
    attrs = "".join(f' data-{k.replace("_", "-")}="{esc(v)}"' for k, v in keys.items())
    return f'<{tag} data-metric="{esc(name)}"{attrs}>{esc(value)}</{tag}>'


def _card(label: str, name: str, value, **keys) -> str:
    return f'<div class="card"><div class="v">{_metric(name, value, **keys)}</div><div class="k">{esc(label)}</div></div>'


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return str(v)


def _legend(items: list[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{c}"></i>{esc(label)}</span>' for label, c in items) + "</div>"


# ---------------------------------------------------------------- quality panel

def quality_section(tables, build: dict, checks: dict, quality: dict | None, events_quality: dict | None) -> str:
    docs, rejects = tables["documents"], tables["rejects"]
    n_dup = int(docs["duplicate_of"].notna().sum())
    kept = len(docs) - n_dup
    read = build.get("read", len(docs) + len(rejects))
    P = ['<section id="quality"><h2>Build and quality</h2><div class="cards">',
         _card("inputs read (documents + rejects)", "read", read),
         _card("documents", "documents", len(docs)),
         _card("kept (canonical)", "documents_canonical", kept),
         _card("flagged as duplicates", "documents_duplicate", n_dup),
         _card("rejected", "rejects", len(rejects)),
         _card("events", "events", len(tables["events"])),
         _card("figures", "figures", len(tables["figures"])),
         "</div>", '<div class="cols"><div><h3>Rows per table</h3>',
         "<table><tr><th>table</th><th>rows</th><th>schema checks</th></tr>"]
    for name, df in tables.items():
        ok = checks.get(name) is None
        status = (f'<span class="pass" data-check="{name}" data-status="pass">passed</span>' if ok else
                  f'<span class="fail" data-check="{name}" data-status="fail" title="{esc(checks[name])}">failed</span>')
        P.append(f'<tr><td>{name}</td><td class="n">{_metric("rows", len(df), table=name)}</td><td>{status}</td></tr>')
    n_pass = sum(v is None for v in checks.values())
    P.append(f'</table><p class="note">{_metric("schema_checks_passed", n_pass)} of '
             f'{_metric("schema_checks", len(checks))} tables pass their pandera model (re-checked now).</p>')
    P.append("<h3>Rejects by reason</h3>")
    if len(rejects):
        P.append("<table><tr><th>reason</th><th>inputs</th></tr>")
        for reason, n in Counter(rejects["reason"]).most_common():
            P.append(f'<tr><td>{esc(reason)}</td><td class="n">{_metric("rejects_by_reason", n, reason=reason)}</td></tr>')
        P.append("</table>")
    else:
        P.append('<p class="note">No input was rejected.</p>')
    P.append("</div><div>" + quality_figures(quality, events_quality) + "</div></div>")
    P.append("</section>")
    return "".join(P)


def quality_figures(quality: dict | None, events_quality: dict | None) -> str:
    P = ["<h3>Measured quality</h3>"]
    if not quality and not events_quality:
        P.append('<p class="note">No quality figures were measured for this build (no quality.json or '
                 "events_quality.json beside it; run <code>make bench</code>).</p>")
        return "".join(P)
    if quality:
        prf = [(g, v) for g, v in quality.items() if isinstance(v, dict)
               and any(isinstance(x, dict) and "precision" in x for x in v.values())]
        if prf:
            P.append('<p class="note">Precision / recall / F1 against the hand-checked sample '
                     f'({esc(quality.get("gold", "gold"))}); hover a cell for the number of gold items.</p>')
            measures = list(dict.fromkeys(m for _, v in prf for m, x in v.items()
                                          if isinstance(x, dict) and "precision" in x))
            P.append("<table><tr><th rowspan='2'>measure</th>"
                     + "".join(f"<th colspan='3'>{esc(g)}</th>" for g, _ in prf) + "</tr><tr>"
                     + "<th>P</th><th>R</th><th>F1</th>" * len(prf) + "</tr>")
            for m in measures:
                row = [f"<td>{esc(m)}</td>"]
                for g, v in prf:
                    x = v.get(m) if isinstance(v.get(m), dict) else {}
                    gi = (v.get("gold_items") or {}).get(m)
                    for k in ("precision", "recall", "f1"):
                        val = x.get(k)
                        cell = "" if val is None else _metric("quality", _fmt(val), sample=g, measure=m, stat=k)
                        tip = f' title="{esc(g)}: {gi} gold items"' if gi is not None else ""
                        row.append(f'<td class="n"{tip}>{cell}</td>')
                P.append("<tr>" + "".join(row) + "</tr>")
            P.append("</table>")
        others = [(g, v) for g, v in quality.items() if isinstance(v, dict) and (g, v) not in prf
                  and not g.startswith("throughput")]  # speed is bench's business, not quality
        if others:
            P.append("<table style='margin-top:8px'><tr><th>measure</th><th>value</th></tr>")
            for g, v in others:
                for k, x in v.items():
                    if isinstance(x, (int, float)) and not isinstance(x, bool) and k != "seconds":
                        P.append(f"<tr><td>{esc(g)}.{esc(k)}</td><td class='n'>"
                                 f"{_metric('quality', _fmt(x), sample=g, measure=k)}</td></tr>")
            P.append("</table>")
    if events_quality:
        P.append(f'<p class="note">Events against page titles of {esc(events_quality.get("corpus", "a corpus"))}: '
                 f'{esc(events_quality.get("rule", ""))}</p><table><tr><th>measure</th><th>value</th></tr>')
        for k, x in events_quality.items():
            if isinstance(x, (int, float)) and not isinstance(x, bool) and k not in ("seconds", "date"):
                P.append(f"<tr><td>{esc(k)}</td><td class='n'>{_metric('events_quality', _fmt(x), measure=k)}</td></tr>")
        P.append("</table>")
    return "".join(P)


# ---------------------------------------------------------------- timeline

def _ts(d) -> float:
    return float(pd.Timestamp(d).toordinal())


def timeline_section(tables) -> str:
    ev = tables["events"].copy()
    figs = dict(zip(tables["figures"]["figure_id"], tables["figures"]["name"]))
    dated = ev[ev["start_date"].notna()].sort_values(["start_date", "event_id"])
    types = [t for t in EVENT_TYPES if (ev["event_type"] == t).any()]
    P = ['<section id="timeline"><h2>Events over time</h2>',
         f'<p class="sub">{_metric("events_total", len(ev))} events, {_metric("events_dated", len(dated))} with a date; '
         "hover a mark for its title, place and sources.</p>"]
    if len(dated):
        W, left, right, lane, top = 1150, 150, 20, 34, 26
        H = top + lane * len(types) + 30
        ords = dated["start_date"].map(_ts)
        # a stray early date (a misread year) must not squash the rest: start at the 0.5th
        # percentile when there are many events; earlier marks sit on the left edge
        x0 = float(ords.quantile(0.005)) if len(ords) >= 100 else float(ords.min())
        x1 = float(ords.max())
        n_early = int((ords < x0).sum())
        if x1 - x0 < 60:
            x0, x1 = x0 - 30, x1 + 30
        pad = (x1 - x0) * 0.02
        x0, x1 = x0 - pad, x1 + pad
        sx = lambda t: left + (W - left - right) * (t - x0) / (x1 - x0)  # noqa: E731
        S = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="events by type over time">']
        y0d, y1d = date.fromordinal(int(x0)).year, date.fromordinal(int(x1)).year
        step = max(1, math.ceil((y1d - y0d + 1) / 14))
        for y in range(y0d, y1d + 2, step):
            t = float(date(y, 1, 1).toordinal())
            if x0 <= t <= x1:
                X = sx(t)
                S.append(f'<line x1="{X:.1f}" y1="{top - 8}" x2="{X:.1f}" y2="{H - 24}" stroke="#eee"/>'
                         f'<text x="{X:.1f}" y="{H - 10}" text-anchor="middle">{y}</text>')
        for i, t in enumerate(types):
            y = top + lane * i + lane / 2
            n = int((ev["event_type"] == t).sum())
            S.append(f'<line x1="{left}" y1="{y}" x2="{W - right}" y2="{y}" stroke="#ddd"/>'
                     f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{esc(t.replace("_", " "))} ({n})</text>')
        for _, e in dated.iterrows():
            X = sx(max(x0, _ts(e["start_date"])))
            y = top + lane * types.index(e["event_type"]) + lane / 2
            r = 4 + min(6, 2 * math.log2(max(1, int(e["n_sources"]))))
            who = ", ".join(figs.get(f, f) for f in _list(e["figure_ids"]))
            tip = (f'{e["title"]} — {e["start_date"]}' + (f', {e["place"]}' if not _isnull(e["place"]) else "")
                   + (f"\n{who}" if who else "") + f'\n{int(e["n_sources"])} source(s): {", ".join(_list(e["doc_ids"]))}')
            S.append(f'<a href="#{esc(e["event_id"])}"><circle cx="{X:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                     f'fill="{TYPE_COLOURS.get(e["event_type"], "#999")}" fill-opacity="0.7" stroke="#333" '
                     f'stroke-width="0.5" data-event="{esc(e["event_id"])}"><title>{esc(tip)}</title></circle></a>')
        S.append("</svg>")
        P.append("".join(S))
        P.append('<p class="note">Mark size grows with the number of documents reporting the event.'
                 + (f" {n_early} event(s) dated before {date.fromordinal(int(x0 + pad))} sit on the left edge."
                    if n_early else "") + "</p>")
    P.append(event_table(tables, figs))
    P.append("</section>")
    return "".join(P)


def event_table(tables, figs) -> str:
    ev = tables["events"].sort_values(["start_date", "event_id"], na_position="last")
    docs = tables["documents"].set_index("doc_id")
    shown = ev.head(MAX_EVENT_ROWS)
    P = [f'<details><summary>All events ({len(ev)})'
         + (f", the first {MAX_EVENT_ROWS} by date" if len(ev) > MAX_EVENT_ROWS else "") + "</summary>"
         "<table><tr><th>date</th><th>type</th><th>event</th><th>participants</th><th>sources</th>"
         "<th>evidence</th></tr>"]
    for _, e in shown.iterrows():
        d = "" if _isnull(e["start_date"]) else str(e["start_date"])
        if d and e["date_precision"] != "day":
            d += f' ({e["date_precision"]})'
        who = ", ".join(esc(figs.get(f, f)) for f in _list(e["figure_ids"]))
        states = " ".join(esc(c) for c in _list(e["country_iso3s"]))
        srcs = []
        for did in _list(e["doc_ids"]):
            t = docs["title"].get(did) if did in docs.index else None
            srcs.append(f'<a href="#{esc(did)}" title="{esc(t)}">{esc(did)}</a>')
        place = "" if _isnull(e["place"]) else f'<br><span class="note">{esc(e["place"])}</span>'
        P.append(f'<tr id="{esc(e["event_id"])}"><td>{esc(d)}</td>'
                 f'<td><i style="color:{TYPE_COLOURS.get(e["event_type"], "#999")}">&#9679;</i> '
                 f'{esc(e["event_type"])}</td><td>{esc(e["title"])}{place}</td>'
                 f'<td>{who}<br><span class="note">{states}</span></td>'
                 f'<td>{"<br>".join(srcs)}</td><td class="evid">{esc(e["evidence"])}'
                 f'<br><span class="note">from {esc(e["evidence_doc_id"])}</span></td></tr>')
    P.append("</table></details>")
    return "".join(P)


# ---------------------------------------------------------------- network

def meeting_edges(events: pd.DataFrame) -> Counter:
    """(figure a, figure b) -> number of meetings both took part in."""
    w: Counter = Counter()
    for _, e in events[events["event_type"].isin(MEETING_TYPES)].iterrows():
        fs = sorted(set(_list(e["figure_ids"])))
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                w[(a, b)] += 1
    return w


def network_section(tables) -> str:
    edges = meeting_edges(tables["events"])
    figs = tables["figures"].set_index("figure_id")
    deg: Counter = Counter()
    for (a, b), n in edges.items():
        deg[a] += n
        deg[b] += n
    nodes = [f for f, _ in sorted(deg.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NETWORK_NODES]]
    keep = set(nodes)
    shown = {k: n for k, n in edges.items() if k[0] in keep and k[1] in keep}
    P = ['<section id="network"><h2>Who met whom</h2>',
         f'<p class="sub">{_metric("network_nodes", len(nodes))} figures and {_metric("network_edges", len(shown))} '
         f"pair{'s' if len(shown) != 1 else ''} who met in bilateral, multilateral or ministerial meetings"
         + (f" (the top {MAX_NETWORK_NODES} of {len(deg)} figures by meetings)" if len(deg) > len(nodes) else "")
         + "; edge width grows with the number of meetings, hover for counts.</p>"]
    if not nodes:
        P.append('<p class="note">No meeting names two known figures.</p></section>')
        return "".join(P)
    W = H = 720
    cx, cy, R = W / 2, H / 2, 190  # room outside the circle for names
    pos = {}
    for i, f in enumerate(nodes):
        a = 2 * math.pi * i / len(nodes) - (math.pi if len(nodes) == 2 else math.pi / 2)
        pos[f] = (cx + R * math.cos(a), cy + R * math.sin(a), a)
    mx = max(shown.values(), default=1)
    S = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="meetings between figures">']
    for (a, b), n in sorted(shown.items(), key=lambda kv: kv[1]):
        xa, ya, _ = pos[a]
        xb, yb, _ = pos[b]
        wdt = 1 + 7 * math.sqrt(n / mx)
        na, nb = _name(figs, a), _name(figs, b)
        S.append(f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}" stroke="#1f77b4" '
                 f'stroke-opacity="{0.25 + 0.5 * n / mx:.2f}" stroke-width="{wdt:.1f}" stroke-linecap="round">'
                 f"<title>{esc(na)} – {esc(nb)}: {n} meeting{'s' if n != 1 else ''}</title></line>")
    for f in nodes:
        x, y, a = pos[f]
        r = 4 + 8 * math.sqrt(deg[f] / max(deg.values()))
        cty = figs["country_iso3"].get(f) if f in figs.index else None
        role = figs["role"].get(f) if f in figs.index else None
        tip = f"{_name(figs, f)}" + (f", {role}" if not _isnull(role) else "") + f"\n{deg[f]} meeting link(s)"
        # names run outward along the radius (no overlap at 25 nodes), flipped on the left half
        lx, ly = cx + (R + r + 5) * math.cos(a), cy + (R + r + 5) * math.sin(a)
        ang = math.degrees(a)
        anchor, rot = ("end", ang + 180) if math.cos(a) < -1e-9 else ("start", ang)
        label = _name(figs, f) + (f" ({cty})" if not _isnull(cty) else "")
        S.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#ff7f0e" stroke="#333" stroke-width="0.7" '
                 f'data-figure="{esc(f)}"><title>{esc(tip)}</title></circle>'
                 f'<text x="{lx:.1f}" y="{ly:.1f}" dy="0.35em" text-anchor="{anchor}" '
                 f'transform="rotate({rot:.1f} {lx:.1f} {ly:.1f})">{esc(label)}</text>')
    S.append("</svg>")
    P.append("".join(S))
    P.append("</section>")
    return "".join(P)


def _name(figs: pd.DataFrame, f: str) -> str:
    return str(figs["name"].get(f, f)) if f in figs.index else f


# ---------------------------------------------------------------- countries

def countries_section(tables) -> str:
    c = tables["countries"]
    c = c[c["n_mentions"] > 0].sort_values(["n_mentions", "iso3"], ascending=[False, True])
    shown = c.head(MAX_COUNTRY_BARS)
    P = ['<section id="countries"><h2>Countries by mentions</h2>',
         f'<p class="sub">{_metric("countries_mentioned", len(c))} countries are mentioned in canonical documents'
         + (f"; the top {MAX_COUNTRY_BARS} are shown" if len(c) > MAX_COUNTRY_BARS else "")
         + ". Colour: SCO status as of the build date.</p>",
         _legend([(STATUS_LABELS[s], STATUS_COLOURS[s]) for s in STATUS_COLOURS])]
    if len(shown):
        bar, left, W = 18, 150, 560
        H = bar * len(shown) + 20
        mx = int(shown["n_mentions"].max())
        S = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="countries by mentions">']
        for i, (_, r) in enumerate(shown.iterrows()):
            y = 10 + i * bar
            w = (W - left - 70) * int(r["n_mentions"]) / mx
            col = STATUS_COLOURS.get(r["sco_status"], "#999")
            tip = (f'{r["name"]} ({r["iso3"]}): {r["n_mentions"]} mentions in {r["n_documents"]} documents; '
                   f'SCO {STATUS_LABELS.get(r["sco_status"], r["sco_status"])}')
            S.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{esc(r["name"])}</text>'
                     f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{bar - 4}" fill="{col}">'
                     f"<title>{esc(tip)}</title></rect>"
                     f'<text x="{left + w + 5:.1f}" y="{y + 13}" data-metric="country_mentions" '
                     f'data-iso3="{esc(r["iso3"])}">{int(r["n_mentions"])}</text>')
        S.append("</svg>")
        P.append("".join(S))
    P.append("</section>")
    return "".join(P)


# ---------------------------------------------------------------- documents

def doc_spans(text: str, mentions: list[dict], quantities: list[dict], quotes: list[dict],
              figs: dict[str, str]) -> tuple[list[dict], int]:
    """The spans to highlight, each checked against the text; returns (spans, skipped).

    A span whose offsets do not give its surface (a release's snippet text) is
    skipped, and so is one that crosses another's boundary: the rest nest."""
    cand = []
    for m in mentions:
        cand.append({"start": m["start"], "end": m["end"], "surface": m["surface"], "kind": "mention",
                     "cls": f'hl m-{m["entity_type"]}', "id": m["entity_id"],
                     "title": f'{m["entity_type"]}: {m["entity_id"]}'})
    for q in quantities:
        cand.append({"start": q["start"], "end": q["end"], "surface": q["surface"], "kind": "quantity",
                     "cls": "hl qty", "id": q["unit"], "title": f'{q["kind"]}: {q["value"]:g} {q["unit"]}'})
    for q in quotes:
        who = figs.get(q["figure_id"], q["figure_id"]) if q["figure_id"] else "speaker unknown"
        cand.append({"start": q["start"], "end": q["end"], "surface": q["text"], "kind": "quote",
                     "cls": "hl quote", "id": q["figure_id"] or "",
                     "title": f"quote: {who}" + (f' ({q["verb"]})' if q["verb"] else "")})
    # outer spans first: by start, then longest; quotes outside entities at equal extent
    order = {"quote": 0, "mention": 1, "quantity": 2}
    cand.sort(key=lambda s: (s["start"], -s["end"], order[s["kind"]]))
    kept, stack, skipped = [], [], 0
    for s in cand:
        st, en = int(s["start"]), int(s["end"])
        if not (0 <= st < en <= len(text)) or text[st:en] != s["surface"]:
            skipped += 1
            continue
        while stack and stack[-1]["end"] <= st:
            stack.pop()
        if stack and en > stack[-1]["end"]:  # crosses the enclosing span's end: cannot nest
            skipped += 1
            continue
        s["start"], s["end"] = st, en
        kept.append(s)
        stack.append(s)
    return kept, skipped


def render_text(text: str, spans: list[dict]) -> str:
    """HTML of `text` with the (properly nested, start-ordered) spans as <span> elements."""
    out, stack, pos = [], [], 0
    for s in spans:
        while stack and stack[-1]["end"] <= s["start"]:
            top = stack.pop()
            out.append(esc(text[pos:top["end"]]) + "</span>")
            pos = top["end"]
        out.append(esc(text[pos:s["start"]]))
        pos = s["start"]
        out.append(f'<span class="{esc(s["cls"])}" title="{esc(s["title"])}" data-kind="{s["kind"]}" '
                   f'data-id="{esc(s["id"])}" data-start="{s["start"]}" data-end="{s["end"]}">')
        stack.append(s)
    while stack:
        top = stack.pop()
        out.append(esc(text[pos:top["end"]]) + "</span>")
        pos = top["end"]
    out.append(esc(text[pos:]))
    return "".join(out)


def documents_section(tables) -> str:
    docs = tables["documents"]
    canon = docs[docs["duplicate_of"].isna()].sort_values(["published_date", "doc_id"], na_position="last")
    shown = canon.head(MAX_DOCUMENTS)
    ids = set(shown["doc_id"])
    figs = dict(zip(tables["figures"]["figure_id"], tables["figures"]["name"]))

    def group(name):
        g = defaultdict(list)
        df = tables[name]
        for r in df[df["doc_id"].isin(ids)].to_dict("records"):
            g[r["doc_id"]].append(r)
        return g

    ms, qs, qts = group("mentions"), group("quantities"), group("quotes")
    P = ['<section id="documents"><h2>Documents, annotated</h2>',
         f'<p class="sub">{_metric("documents_shown", len(shown))} of {_metric("documents_canonical_total", len(canon))} '
         "canonical documents, by publication date"
         + (f" (the first {MAX_DOCUMENTS}; query the tables for the rest)" if len(canon) > MAX_DOCUMENTS else "")
         + ". Highlights sit at the stored character offsets; hover one for its entity id.</p>",
         _legend([("country", "#cfe3ff"), ("person", "#ffd9a8"), ("organization", "#d7f0d2"),
                  ("place", "#ecd9f7"), ("quantity", "#fff3a0"), ("quote", "#e0e0e0")])]
    for i, d in enumerate(shown.to_dict("records")):
        text = d["text"] or ""
        spans, skipped = doc_spans(text, ms[d["doc_id"]], qs[d["doc_id"]], qts[d["doc_id"]], figs)
        n_rows = len(ms[d["doc_id"]]) + len(qs[d["doc_id"]]) + len(qts[d["doc_id"]])
        kinds = Counter(s["kind"] for s in spans)
        date_s = "" if _isnull(d["published_date"]) else f'{d["published_date"]} · '
        meta = " · ".join(esc(x) for x in (d["source_name"], d["author"], d["source_uri"]) if not _isnull(x))
        P.append(f'<details id="{esc(d["doc_id"])}" class="doc" data-doc="{esc(d["doc_id"])}"'
                 f'{" open" if i == 0 else ""}><summary>{esc(date_s)}{esc(d["source_uri"] if _isnull(d["title"]) else d["title"])}</summary>'
                 f'<div class="meta">{esc(d["doc_id"])} · {meta} · {int(d["n_words"])} words · '
                 f'{_metric("doc_mentions", kinds["mention"], doc=d["doc_id"])} entities, '
                 f'{_metric("doc_quantities", kinds["quantity"], doc=d["doc_id"])} quantities, '
                 f'{_metric("doc_quotes", kinds["quote"], doc=d["doc_id"])} quotes highlighted'
                 f'{f"; {skipped} overlapping or unmatched span(s) not shown" if skipped else ""}'
                 f'<span hidden data-metric="doc_spans_total" data-doc="{esc(d["doc_id"])}">{n_rows}</span>'
                 f'<span hidden data-metric="doc_spans_skipped" data-doc="{esc(d["doc_id"])}">{skipped}</span></div>'
                 f'<div class="doctext" data-doc="{esc(d["doc_id"])}">{render_text(text, spans)}</div></details>')
    P.append("</section>")
    return "".join(P)


# ---------------------------------------------------------------- the page

def report_for_build(output: Path) -> Path:
    """The report of the build published in `output`, written inside that build's own
    folder (`output/.current/`) with `output/report.html` linked to it: a newer build
    never shows an older build's report under its name (the link points at nothing
    until `scodata report` runs again)."""
    from flows import publish

    current = Path(output) / publish.CURRENT
    if not current.is_symlink():
        return make_report(output)
    make_report(output, current / "report.html")
    publish.symlink_atomic(f"{publish.CURRENT}/report.html", Path(output) / "report.html")
    return Path(output) / "report.html"


def make_report(build_dir: Path, out: Path | None = None) -> Path:
    """Write the report of the build (or release) in `build_dir`; returns its path
    (default `<build_dir>/report.html`)."""
    build_dir = Path(build_dir)
    out = Path(out) if out is not None else build_dir / "report.html"
    build = _beside(build_dir, "build.json")
    manifest = _read_json(build_dir / "manifest.json")
    if build is None and manifest is not None:  # a release folder
        build = {**(manifest.get("build") or {}), "built_at": manifest.get("built_at"),
                 "pipeline_version": manifest.get("pipeline_version"), "version": manifest.get("version")}
    build = build or {}
    quality = _beside(build_dir, "quality.json") or (manifest or {}).get("quality")
    events_quality = _beside(build_dir, "events_quality.json")
    tables = read_tables(build_dir)
    checks = schema_checks(tables)

    title = "sco-open-data report" + (f' — release {build["version"]}' if build.get("version") else "")
    sub = " · ".join(x for x in (
        f'built {build["built_at"]}' if build.get("built_at") else "",
        f'pipeline {build["pipeline_version"]}' if build.get("pipeline_version") else "",
        f'commit {str(build["git_commit"])[:10]}' if build.get("git_commit") else "",
        f"{len(tables['documents'])} documents") if x)
    body = [
        f"<h1>{esc(title)}</h1><p class='sub'>{esc(sub)}</p>",
        '<p class="note">Sections: <a href="#quality">build and quality</a> · <a href="#timeline">events</a> · '
        '<a href="#network">who met whom</a> · <a href="#countries">countries</a> · '
        '<a href="#documents">documents</a></p>',
        quality_section(tables, build, checks, quality, events_quality),
        timeline_section(tables),
        '<div class="cols"><div>' + network_section(tables) + "</div><div>" + countries_section(tables)
        + "</div></div>",
        documents_section(tables),
    ]
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
            + "".join(body) + "</main></body></html>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(make_report(Path(sys.argv[1] if len(sys.argv) > 1 else "output"),
                      Path(sys.argv[2]) if len(sys.argv) > 2 else None))
