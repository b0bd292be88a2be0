"""Shared helpers every stage may use: text spans and keywords, dates, the gazetteer of
reference names, hashing. Imports nothing above it but `flows.paths`.
"""
