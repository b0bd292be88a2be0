"""What a build can be told: the settings object, read when a build starts.

`Settings` holds every setting of a build: the CLI's flags (inputs, output, --full,
--sources, ...) and the tuning knobs read from `SCO_*` environment variables (and
SOURCE_DATE_EPOCH). It is made when a command or a flow run starts, never at import,
and the flow passes its values to the pool, the text store, the writer and the
fetcher. This is the only module of `flows/` that reads the environment
(tests/unit/test_settings.py checks it). `scodata settings --write` rewrites
docs/settings.md, the list of every setting, from the model below.

The bottom layer of `flows`, beside `paths`: it imports nothing of the project but
`paths`, and nothing heavy (see `set_process_defaults`).
"""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Optional

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from flows.paths import DOCS_DIR, ROOT

ENV_PREFIX = "SCO_"
# flows/dedup.py's THRESHOLD (estimated Jaccard similarity to call two documents near
# duplicates), repeated, not imported: config sits below the stages and must not import
# pyarrow (see set_process_defaults). tests/unit/test_settings.py checks the two agree.
DEDUP_THRESHOLD = 0.8

# Process-wide defaults, each only where the user has not set the variable.
PROCESS_DEFAULTS = {
    # Arrow allocates from the C library's malloc, not its bundled mimalloc: the flow's
    # process frees large shards all through a build, and glibc hands freed heap back
    # (pool.release_memory's malloc_trim) where mimalloc kept about a shard's worth per
    # shard (measured: 100k documents, the flow's peak 1.34 GB with mimalloc, 1.14 GB
    # with this).
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    # Prefect keeps its state under the project, never in ~/.prefect, and never phones home
    "PREFECT_HOME": str(ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # the temporary API server gets time to start on a busy machine
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def set_process_defaults() -> None:
    """Set PROCESS_DEFAULTS in this process's environment (a user's own value wins).

    Called by `flows/__init__.py`, so before any module of the project runs: Arrow reads
    ARROW_DEFAULT_MEMORY_POOL once, when pyarrow is first imported and allocates, and
    Prefect reads its settings when it is first imported; set later, neither would see
    them. That is why this module imports nothing that imports pyarrow or Prefect."""
    for name, value in PROCESS_DEFAULTS.items():
        os.environ.setdefault(name, value)


def setting(default: Any = None, what: str = "", *, env: bool = False, cli: str | None = None,
            tables: bool = False, **constraints: Any) -> Any:
    """A settings field: `what` it changes, whether an `SCO_<NAME>` variable sets it (env),
    the CLI flag that sets it, and whether it changes the tables (then build.json records it)."""
    kind = "default_factory" if callable(default) else "default"
    return Field(**{kind: default}, description=what, **constraints,
                 json_schema_extra={"env": env, "cli": cli, "tables": tables})


class _ChosenEnv(EnvSettingsSource):
    """The environment, for the settings marked `env` only: a stray SCO_OUTPUT in a
    shell does not move a build (the CLI's flags say where things are)."""

    def get_field_value(self, field, field_name):
        if not (field.json_schema_extra or {}).get("env"):
            return None, field_name, False
        return super().get_field_value(field, field_name)


class Settings(BaseSettings):
    """Everything a build can be told, in one place (CLI flags and SCO_* variables)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", validate_default=True)

    inputs: list[Path] = setting(lambda: [ROOT / "seeds" / "documents"],
                                 "Files or folders of documents to build from.", cli="--input")
    output: Path = setting(ROOT / "output", "Folder the tables and sco.duckdb are written to.", cli="--output")
    full: bool = setting(False, "Ignore what the previous build remembered: rebuild everything.", cli="--full")
    sources: Optional[Path] = setting(None, "A sources.yaml (folders, JSON lines, feeds, URL lists); replaces `inputs`.",
                                      cli="--sources")
    raw_store: Optional[Path] = setting(None, "Where fetched pages are kept. Default: the sources file's `raw_store`.")
    offline: bool = setting(False, "Build from the raw store only, fetch nothing.", cli="--offline")
    allow_private: bool = setting(False, "Fetch from private and loopback addresses (tests on 127.0.0.1 only).")
    as_of: Optional[date] = setting(None, "The date SCO membership statuses are read at. Default: the build's date.",
                                    cli="--as-of", tables=True)
    dedup_threshold: float = setting(DEDUP_THRESHOLD, "Estimated Jaccard similarity above which two documents "
                                     "are near duplicates (`duplicate_of`).", env=True, tables=True, gt=0, le=1)
    source_date_epoch: Optional[int] = setting(
        None, "Pins the build time (Unix seconds): `built_at`, `rejects.seen_at`, reproducible rebuilds.",
        env=True, tables=True, ge=0, validation_alias=AliasChoices("source_date_epoch", "SOURCE_DATE_EPOCH"))
    processes: Optional[int] = setting(None, "Worker processes for cleaning and annotating. Default: one per "
                                       "core, none for a small build.", env=True, ge=1)
    pool_min_bytes: int = setting(4 << 20, "Input bytes below which a build runs inline, without worker processes.",
                                  env=True, ge=0)
    tasks_per_worker: int = setting(8, "Shards a worker process runs before it is replaced (0: never).",
                                    env=True, ge=0)
    shard_files: int = setting(500, "Inputs an ingest shard reads at most, and records a clean shard cleans.",
                               env=True, ge=1)
    shard_bytes: int = setting(8 << 20, "Input bytes an ingest shard reads at most (one larger input alone).",
                               env=True, ge=1)
    annotate_batch: int = setting(2000, "Documents an annotate task annotates.", env=True, ge=1)
    batch_text_bytes: int = setting(64 << 20, "Bytes of text the write reads back from disk at a time.",
                                    env=True, ge=1)
    partition_bytes: int = setting(512 << 20, "In-memory size above which a table is written as a folder of "
                                   "Parquet parts (`documents` by year).", env=True, ge=1)
    contact: str = setting("", "A URL or e-mail for site owners, in the User-Agent of every fetch.", env=True)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        # arguments first, then the environment; no .env file, no secrets folder
        return init_settings, _ChosenEnv(settings_cls, case_sensitive=False, env_prefix=ENV_PREFIX)

    def build_time(self) -> datetime:
        # SOURCE_DATE_EPOCH pins the build time, so rebuilds are reproducible byte for byte.
        if self.source_date_epoch is not None:
            return datetime.fromtimestamp(self.source_date_epoch, tz=timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)

    def table_settings(self, built_at: datetime) -> dict[str, Any]:
        """The settings that change the tables, as build.json records them (`as_of` as
        the build read it)."""
        out = {name: getattr(self, name) for name, f in type(self).model_fields.items() if _meta(f)["tables"]}
        out["as_of"] = (self.as_of or built_at.date()).isoformat()
        return out


def _meta(field) -> dict:
    return field.json_schema_extra or {}


def env_var(name: str) -> str | None:
    """The environment variable that sets the setting `name`, or None."""
    field = Settings.model_fields[name]
    if not _meta(field).get("env"):
        return None
    if field.validation_alias is not None:
        return field.validation_alias.choices[-1]
    return f"{ENV_PREFIX}{name.upper()}"


class SettingsError(ValueError):
    """A setting with a value it cannot take; the message says which and where it came from."""


def read_settings(**given: Any) -> Settings:
    """Settings from `given` (the CLI's flags) and the environment; a bad value raises
    SettingsError naming the variable or the argument, in one line."""
    try:
        return Settings(**given)
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else ""
        if name in Settings.model_fields and name not in given and env_var(name):
            where = f"environment: {env_var(name)}"
        else:
            where = f"argument: {_meta(Settings.model_fields[name]).get('cli') or name}" \
                if name in Settings.model_fields else "argument"
        raise SettingsError(f"{where}: {err['msg']} (got {err.get('input')!r})") from None


# ---------------------------------------------------------------- docs/settings.md

SETTINGS_PAGE = DOCS_DIR / "settings.md"


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, Path):
        try:
            return str(value.relative_to(ROOT))
        except ValueError:
            return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1 << 20 and not value % (1 << 20):
        return f"{value} ({value >> 20} MiB)"
    return "none" if value is None or value == "" else str(value)


def settings_page() -> str:
    """docs/settings.md: every setting with its variable, flag, default and what it changes."""
    lines = [
        "# Settings",
        "",
        "Generated from `flows/config.py` by `scodata settings --write`; do not edit by hand.",
        "",
        "A build reads its settings when it starts: the command's flags, then `SCO_*` environment",
        "variables for the tuning knobs. A setting marked *tables* changes what the tables hold;",
        "build.json records those (`settings`). Paths are relative to the checkout.",
        "",
        "| setting | environment variable | CLI flag (`scodata build`) | default | tables | what it changes |",
        "|---|---|---|---|---|---|",
    ]
    for name, f in Settings.model_fields.items():
        meta, var = _meta(f), env_var(name)
        default = _shown(f.get_default(call_default_factory=True))
        var = f"`{var}`" if var else "—"
        flag = f"`{meta['cli']}`" if meta.get("cli") else "—"
        lines.append(f"| `{name}` | {var} | {flag} | {default} | {'yes' if meta.get('tables') else ''} "
                     f"| {f.description} |")
    return "\n".join(lines) + "\n"


def write_settings_page(path: Path = SETTINGS_PAGE) -> Path:
    """Rewrite docs/settings.md (`scodata settings --write`)."""
    path.write_text(settings_page(), encoding="utf-8")
    return path
