"""sco-open-data pipeline: stages (plain functions over batches) and the Prefect flow."""
# First, before any module that imports pyarrow or Prefect: both read their
# process-wide settings from the environment once, when first imported (config.py).
from flows.config import set_process_defaults

set_process_defaults()

__version__ = "0.2.0"
