"""Where documents come from: `sources.yaml` (config), feeds (feeds), fetching pages into
the raw store (fetch), and collecting what the file lists (collector).
"""
from flows.sources.collector import Collected, collect  # noqa: F401
from flows.sources.config import (  # noqa: F401
    DEFAULT_RAW_STORE,
    DEFAULT_SOURCES_FILE,
    TYPES,
    FeedSource,
    FolderSource,
    JsonlSource,
    Source,
    SourcesConfig,
    SourcesError,
    UrlListSource,
    WebSource,
    load_sources,
    read_config,
)
from flows.sources.feeds import FeedItem, parse_feed  # noqa: F401
from flows.sources.fetch import (  # noqa: F401
    CONTACT_ENV,
    FEED_TYPES,
    HTML_TYPES,
    LIMITER,
    RETRY_DELAYS,
    RETRYABLE_STATUS,
    ROBOTS_TOKEN,
    Fetcher,
    FetchError,
    FetchOptions,
    FetchResult,
    HostRateLimiter,
    RawStore,
    check_url,
    close_shared_fetchers,
    fetch_url,
    open_store,
    options_with,
    read_sidecar,
    record_meta,
    shared_fetcher,
    skip_in_discover,
    user_agent,
)
