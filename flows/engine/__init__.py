"""How a build runs: the worker pool and the jobs it runs, the on-disk text store, the
incremental state, the build lock.
"""
