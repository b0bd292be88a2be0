"""One build at a time per output folder.

An exclusive `flock` on `<output>/.build.lock`: the kernel releases it when the
holding process ends, however it ends, so a lock left by a killed run never
blocks the next one. The file records who holds it, for the message the second
build prints.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = ".build.lock"


class BuildLocked(RuntimeError):
    """Another build holds the output folder."""


@contextmanager
def build_lock(output: Path):
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
            except (ValueError, OSError):
                holder = {}
            raise BuildLocked(
                f"another build is writing {output} (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
                f"started {holder.get('started', '?')}); wait for it to finish, or use another --output"
            ) from None
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
