"""sco-open-data pipeline: stages (plain functions over batches) and the Prefect flow."""
__version__ = "0.1.0"
