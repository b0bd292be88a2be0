"""Imported by the worker pool's fork server (pool.Pool) before it forks any
worker: loads the modules and builds what every worker would otherwise build on
its first shard (the language model, the gazetteer's automaton, the people
finder's name lists, ...), by cleaning and annotating one small made-up record.
Workers are replaced every few shards (pool.TASKS_PER_WORKER); forked from a
warm server, a new one starts warm (a cold one spent ~0.7 s on its first clean
shard and ~0.35 s on its first annotation batch), and the pages they share with
the server are counted once between them.

The server dies with the build, and each worker with the server (lifeline): a killed
build leaves no worker behind. The server's death signal is set before it forks any
worker; if the build died before that, no worker holds the server's "alive" pipe and
the server exits by itself as soon as it starts serving.
"""
from flows.engine import lifeline

lifeline.die_with_parent()
lifeline.forks_die_with_parent()  # the workers, each right after its fork

from flows import clean, dedup  # noqa: E402  (after the death signal: set first)
from flows.annotate import pipeline as annotate  # noqa: E402
from flows.annotate.quotes.gender import gender_of  # noqa: E402
from flows.engine import jobs, pool  # noqa: E402, F401  (loaded here, once)


def _warm() -> None:
    record = {"source_uri": "warm-up#1", "parent_uri": None, "source_format": "txt", "title": "A made-up record",
              "url": None, "date": "2020-01-01", "author": None, "source_name": None,
              "raw": "The foreign ministers met in the capital on Monday and said trade grew by 5 percent.\n"
                     "\"We agreed to meet again next year,\" the minister said."}
    docs, _ = clean.clean_batch([record])
    dedup.signature_columns(docs)
    annotate.annotate_batch(docs)
    gender_of("Anna Berg")  # the quotes' given-name genders, read on the first he/she otherwise


_warm()
