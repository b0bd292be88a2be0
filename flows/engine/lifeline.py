"""Every process a build starts dies with it, even when the build is SIGKILLed (out of
memory, a deploy): nothing is left holding memory (issue 16 measured ~1.1 GB of
orphans: Prefect's temporary API server, the pool's fork server and workers, and
multiprocessing's resource tracker). Linux only; elsewhere every function is a no-op.

Two mechanisms, because the processes are started in two ways:
- Ours, the pool's fork server and its workers, ask the kernel for a death signal
  (`die_with_parent`, prctl PR_SET_PDEATHSIG): the fork server dies with the build,
  each worker with the fork server. The signal is cleared on fork, so each sets its
  own (worker_init).
- Prefect's temporary API server (a `python -m uvicorn` subprocess Prefect starts, see
  prefect.server.api.server.SubprocessASGIServer) cannot be told to. `watch_build()`
  starts a small watcher process that keeps a list of the build's descendants
  (from /proc, every REFRESH_SECONDS, and on every `watch_build()` call) and waits on a
  pipe whose write end only the build holds: end of file, the build is gone; it then
  ends every process on its list that is still the same process (start time), and
  exits. It ignores SIGINT/SIGTERM/SIGHUP: its life is bounded by the build's anyway.

Multiprocessing's resource tracker needs neither: it exits once every holder of its
pipe (the build, the fork server, the workers) is gone.
"""
from __future__ import annotations

import ctypes
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

REFRESH_SECONDS = 0.5  # how often the watcher re-reads the build's descendants
GRACE_SECONDS = 2.0  # between SIGTERM (Prefect's server shuts down cleanly) and SIGKILL
SYNC_TIMEOUT = 10.0  # at most this long waiting for the watcher to list the descendants
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_tell = _acks = -1  # this process's pipes to its watcher (the write end) and from it (its acknowledgements)
_owner: int | None = None  # the process those pipes are for (a forked child has none of its own)
_forking: int | None = None  # the pid that forked: the parent a forked child expects


def supported() -> bool:
    return sys.platform.startswith("linux") and Path("/proc/self/stat").exists()


def die_with_parent(expected_parent: int | None = None) -> None:
    """Have the kernel SIGKILL this process when the thread that started it ends. With
    `expected_parent`: exit now if the parent is already someone else (it died before
    the death signal was set)."""
    if not supported():
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def forks_die_with_parent() -> None:
    """Every process this one forks from now on (os.fork: a fork clears the death signal)
    sets its death signal right after the fork, and exits at once if this one is
    already gone by then."""
    global _forking
    if supported() and _forking is None:
        _forking = os.getpid()

        def remember_parent():
            global _forking
            _forking = os.getpid()

        os.register_at_fork(before=remember_parent, after_in_child=lambda: die_with_parent(expected_parent=_forking))


def watch_build() -> None:
    """Make sure every process this one has started, or starts later, ends when it
    ends. The first call starts the watcher; every call returns once the watcher has
    listed the descendants there are now (so a kill just after misses none of them)."""
    if not supported():
        return
    if _owner != os.getpid() or not _ask_listing():
        _start_watcher()
    ready, _, _ = select.select([_acks], [], [], SYNC_TIMEOUT)
    if ready:
        os.read(_acks, 64)


def _start_watcher() -> None:
    global _tell, _acks, _owner
    read_end, tell = os.pipe()  # non-inheritable: the watcher gets the read end alone
    acks, ack_w = os.pipe()
    me = os.getpid()
    try:
        # started by sh in the background, the watcher is not this process's child: it is
        # never waited for here (nor warned about, at exit, as a subprocess still running)
        subprocess.run(["/bin/sh", "-c", '"$@" &', "sh", sys.executable, "-m", "flows.engine.lifeline",
                        str(read_end), str(ack_w), str(me), str(_start_time(me))],
                       cwd=Path(__file__).resolve().parents[2], pass_fds=(read_end, ack_w), check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       start_new_session=True)  # the terminal's Ctrl-C goes to the build, not to it
    finally:
        os.close(read_end)
        os.close(ack_w)
    if _owner == me:  # a watcher that died: its pipes
        os.close(_tell)
        os.close(_acks)
    _tell, _acks, _owner = tell, acks, me


def _ask_listing() -> bool:
    """Ask the running watcher to list the descendants now; False if it is gone."""
    try:
        os.write(_tell, b"?")
        return True
    except OSError:  # no reader left
        return False


def _stat(pid: int) -> tuple[int, int, bytes] | None:
    """(parent pid, start time in clock ticks since boot, state) of a process; None if gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()  # the name in parentheses may hold spaces
    return int(fields[1]), int(fields[19]), fields[0]


def _start_time(pid: int) -> int | None:
    """A process's start time; None if it is gone or a zombie (dead, not yet reaped)."""
    st = _stat(pid)
    return None if st is None or st[2] == b"Z" else st[1]


def descendants(root: int) -> dict[int, int]:
    """pid -> start time of every process below `root` now, by parent links in /proc."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[2] != b"Z":
                children.setdefault(st[0], []).append(int(entry.name))
                started[int(entry.name)] = st[1]
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found[child] = started[child]
                todo.append(child)
    return found


def _signal_all(processes: dict[int, int], sig: int) -> dict[int, int]:
    """Send `sig` to each process still the one recorded (same start time). A pidfd
    pins the process between that check and the signal: a reused pid is never hit."""
    sent = {}
    for pid, started in processes.items():
        try:
            fd = os.pidfd_open(pid)
        except OSError:  # gone
            continue
        try:
            if _start_time(pid) == started:
                signal.pidfd_send_signal(fd, sig)
                sent[pid] = started
        except OSError:
            pass
        finally:
            os.close(fd)
    return sent


def end_all(processes: dict[int, int]) -> None:
    """SIGTERM, then SIGKILL whoever is still there after GRACE_SECONDS."""
    left = _signal_all(processes, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = {pid: s for pid, s in left.items() if _start_time(pid) == s}
    _signal_all(left, signal.SIGKILL)


def _acknowledge(acks: int) -> bool:
    """Tell a waiting `watch_build()` the listing is done; False if the build is gone."""
    try:
        os.write(acks, b".")
        return True
    except OSError:  # no reader left
        return False


def _watch(read_end: int, acks: int, build: int, build_started: int) -> None:
    """The watcher's loop: keep the build's descendants listed until the build is gone,
    then end them."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    me, known, asked = os.getpid(), {}, True  # the build waits for the first listing
    while True:
        # a process once listed stays listed while it lives (reparented or not)
        known = {pid: s for pid, s in known.items() if _start_time(pid) == s}
        known.update(descendants(build))
        known.pop(me, None)
        if asked and not _acknowledge(acks):
            break  # nobody reads: the build is gone
        ready, _, _ = select.select([read_end], [], [], REFRESH_SECONDS)
        asked = bool(ready)
        if ready and not os.read(read_end, 4096):
            break  # end of file: the build is gone
        if _start_time(build) != build_started:
            break  # gone without closing the pipe (a forked child still holds it)
    end_all(known)


if __name__ == "__main__":
    _watch(*map(int, sys.argv[1:5]))
