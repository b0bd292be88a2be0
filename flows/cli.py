"""`scodata`: build the dataset, query it, validate it.

typer, because it is already installed with Prefect (no extra dependency) and
turns the type hints of these functions into `--help` texts and checks. Help texts
are Markdown (rich_markup_mode): a docstring's lines are joined into paragraphs.

A user's mistake (a bad flag, setting or sources file) is one line on stderr,
`error: <file or flag>: <where>: <what>`, and exit code 2, found before Prefect starts.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer

from flows.paths import ROOT

app = typer.Typer(help="sco-open-data: an open dataset of Eurasian diplomacy, built from news and forum text.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="markdown")
DEFAULT_OUT = ROOT / "output"


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: the user's mistake)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def read_settings_or_exit(**given):
    """The build's settings from these flags and the environment, and its sources file
    checked: a mistake in either is one line and exit 2, before Prefect starts."""
    from flows.config import SettingsError, read_settings
    from flows.sources.config import SourcesError, read_config

    try:
        settings = read_settings(**{k: v for k, v in given.items() if v is not None})
    except SettingsError as e:
        fail(str(e))
    for path in settings.inputs if settings.sources is None else []:
        if not path.exists():
            fail(f"{path}: --input: no such file or folder")
    if settings.sources is not None:
        try:
            read_config(settings.sources)
        except FileNotFoundError:
            fail(f"{settings.sources}: --sources: no such file")
        except SourcesError as e:
            fail(str(e))
    return settings


@app.command()
def build(
    input: Optional[list[Path]] = typer.Option(None, "--input", "-i", help="A file or folder of documents (.txt, .html, .jsonl[.gz], .csv). Repeatable. Default: seeds/documents."),
    output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="Folder the tables (Parquet) and sco.duckdb are written to."),
    full: bool = typer.Option(False, "--full", help="Rebuild from scratch, ignoring what the previous build remembered (output/.state)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="A sources.yaml listing folders, JSON-lines files, RSS/Atom feeds and URL lists (instead of --input). Fetched pages are kept in its raw store."),
    offline: bool = typer.Option(False, "--offline", help="With --sources: fetch nothing, build from the raw store of pages already fetched."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Read SCO membership statuses at this date (YYYY-MM-DD). Default: the build's date."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run the shard tasks on an existing Dask cluster at this address (tcp://host:8786), through prefect-dask."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Start a local Dask cluster with this many workers for the shard tasks."),
):
    """Build every table of the dataset from the inputs, validate it, and write
    Parquet files and a DuckDB database to the output folder. Only new and
    changed inputs are read and cleaned; the result equals a full rebuild.
    Tuning settings (`SCO_*` variables) are listed in docs/settings.md."""
    settings = read_settings_or_exit(
        inputs=[p.resolve() for p in input] if input else None, output=output.resolve(), full=full,
        sources=sources.resolve() if sources else None, offline=offline, as_of=as_of)
    from flows.build import build_dataset, task_runner
    from flows.engine import lifeline
    from flows.engine.lock import BuildLocked
    from flows.publish.validation import ValidationFailed

    lifeline.watch_build()  # every process the build starts (Prefect's server first) ends with it
    runner = task_runner(dask, workers)
    flow = build_dataset.with_options(task_runner=runner) if runner else build_dataset
    try:
        result = flow(settings)
    except BuildLocked as e:
        fail(str(e), 3)
    except ValidationFailed as e:
        typer.echo(e.report, err=True)
        raise typer.Exit(1)
    except FileNotFoundError as e:
        fail(str(e))
    print_summary(result)


def print_summary(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console(width=120)
    c.print(f"[bold]sco-open-data build[/bold] ({r['seconds']} s)")
    c.print(f"input files: {r['input_files']}   read: {r['read']} = documents {r['documents']} "
            f"+ rejected {r['rejects']}")
    c.print(f"documents: {r['documents']} (canonical {r['documents_canonical']}, "
            f"flagged as duplicates {r['documents_duplicate']})")
    inc = r.get("incremental")
    if inc:
        c.print(f"inputs: {inc['new']} new, {inc['changed']} changed, {inc['unchanged']} unchanged, "
                f"{len(inc['removed'])} removed; read {inc['inputs_read']}, cleaned {inc['records_cleaned']} records, "
                f"annotated {inc['documents_annotated']} documents")
        for uri in inc["removed"]:
            c.print(f"[yellow]removed input (its documents left the dataset): {uri}[/yellow]")
    if r["input_files_unaccounted"]:
        c.print(f"[red]inputs with neither a document nor a reject: {r['input_files_unaccounted']}[/red]")
    t = Table("table", "rows", "file")
    for name, n in r["rows"].items():
        t.add_row(name, str(n), os.path.relpath(r["tables"][name]))
    c.print(t)
    c.print(f"database: {os.path.relpath(r['database'])}")
    # the command as this user ran it: `make run` runs .venv/bin/scodata, not on PATH
    me = sys.argv[0] if os.path.basename(sys.argv[0]) == "scodata" else "scodata"
    me = os.path.relpath(me) if os.sep in me else me
    c.print(f'query it:  {me} query "select name, n_mentions from figures order by n_mentions desc limit 10"')
    c.print(f"       or:  duckdb {os.path.relpath(r['database'])}")


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run on the built database (tables: documents, countries, figures, events, mentions, quantities, quotes, rejects, and the views of sql/views.sql)."),
    output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="The build folder holding sco.duckdb."),
    limit: int = typer.Option(50, help="Print at most this many rows."),
):
    """Run SQL on the built DuckDB database (opened read-only) and print the result as a table."""
    import duckdb
    from rich.console import Console
    from rich.table import Table

    db = output / "sco.duckdb"
    if not db.exists():
        typer.echo(f"error: no database at {db}; run `scodata build` (or `make run`) first", err=True)
        raise typer.Exit(2)
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(limit) if cols else []
    except duckdb.Error as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1)
    finally:
        con.close()
    t = Table(*cols)
    for row in rows:
        t.add_row(*["" if v is None else str(v) for v in row])
    Console(width=200).print(t)


@app.command()
def validate(output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="The build folder to check.")):
    """Re-check every table in the output folder against its pandera schema."""
    from flows.publish.read import read_build_table
    from flows.publish.validation import ValidationFailed, arrow_frame
    from flows.publish.validation import validate as check
    from schemas.tables import TABLES

    frames, missing = {}, []
    for name in TABLES:
        try:  # one file, or a large build's folder of parts
            frames[name] = arrow_frame(read_build_table(output, name))
        except FileNotFoundError:
            missing.append(name)
    if missing:
        typer.echo(f"missing tables: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    try:
        check(frames)
    except ValidationFailed as e:
        typer.echo(e.report, err=True)
        raise typer.Exit(1)
    for name, df in frames.items():
        typer.echo(f"ok  {name:<11} {len(df):>7} rows")


@app.command()
def serve(
    cron: Optional[str] = typer.Option(None, "--cron", help='A cron schedule, e.g. `"0 */6 * * *"` (every six hours).'),
    interval: Optional[int] = typer.Option(None, "--interval", min=1, help="Or: run every this many seconds."),
    name: str = typer.Option("scheduled-build", "--name", help="The deployment's name in Prefect."),
    sources: Path = typer.Option(ROOT / "sources.yaml", "--sources", help="The sources file each scheduled build reads."),
    output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="The folder each scheduled build updates."),
):
    """Register a Prefect deployment of the build flow on a schedule and serve it
    (runs until stopped). Each run takes in what is new and publishes an
    up-to-date dataset; see docs/usage.md, "Scheduled builds"."""
    settings = read_settings_or_exit(output=output.resolve(), sources=sources.resolve())
    from flows.serve import check_schedule
    from flows.serve import serve as serve_build
    from flows.engine import lifeline

    try:
        check_schedule(cron, interval)
    except ValueError as e:
        fail(f"{'--cron' if cron is not None and interval is None else '--cron/--interval'}: {e}")
    lifeline.watch_build()  # Prefect's server and the runs it starts end with this process
    serve_build(cron=cron, interval=interval, name=name, settings=settings)


@app.command()
def release(
    version: str = typer.Option(..., "--version", help="Release version, X.Y.Z."),
    text: str = typer.Option("auto", "--text", help="full | snippet | none | auto (full text only where the licence allows it)."),
    output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="The build folder to release."),
    release_dir: Optional[Path] = typer.Option(None, "--release-dir", help="Where releases go. Default: `<output>/release`."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Where the release will be published (absolute URLs in its metadata)."),
):
    """Write a versioned, documented, checksummed release of the build
    (Parquet, datapackage.json, croissant.json, SHA256SUMS, manifest, data card,
    CHANGELOG) and its .tar.gz."""
    from flows.release.make import check_release_args, make_release

    try:
        check_release_args(version, text)
    except ValueError as e:
        fail(f"--{'version' if 'version' in str(e) else 'text'}: {e}")
    if not (output / "build.json").exists():
        fail(f"{output}: --output: no build here; run `scodata build` (or `make run`) first")
    folder = make_release(output.resolve(), version, text=text, out_root=release_dir, base_url=base_url)
    typer.echo(f"release: {os.path.relpath(folder)}\narchive: {os.path.relpath(folder)}.tar.gz")


@app.command()
def report(output: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="The build folder to report on.")):
    """Write `<output>/report.html`: one self-contained page with a timeline of
    events, who met whom, countries by mentions, the build's quality, and every
    document's text with its annotations highlighted."""
    if not (output / "build.json").exists():
        typer.echo(f"error: no build in {output}; run `scodata build` (or `make run`) first", err=True)
        raise typer.Exit(2)
    from flows.report.page import report_for_build

    typer.echo(os.path.relpath(report_for_build(output.resolve())))


@app.command("settings")
def list_settings(write: bool = typer.Option(False, "--write", help="Rewrite docs/settings.md instead of printing.")):
    """Print every setting of a build (Markdown): its `SCO_*` environment variable, its
    flag, its default, and what it changes. The same page as docs/settings.md."""
    from flows.config import ROOT as root
    from flows.config import settings_page, write_settings_page

    if write:
        typer.echo(f"wrote {write_settings_page().relative_to(root)}")
    else:
        typer.echo(settings_page(), nl=False)


def main() -> None:  # pragma: no cover
    sys.exit(app())
