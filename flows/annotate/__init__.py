"""Annotate canonical documents: mentions (countries, organisations, places, people),
quantities, quotes and event candidates, all with offsets into `documents.text`.
`pipeline` runs every annotator over a batch.
"""
