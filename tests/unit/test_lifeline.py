"""flows.engine.lifeline: what a process starts ends with it, even when it is SIGKILLed
(the whole build: tests/test_kill.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from flows.engine import lifeline
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not lifeline.supported(), reason="Linux only (/proc, prctl)")


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if lifeline._start_time(pid) is None:
            return True
        time.sleep(0.05)
    return False


def _killed_parent_and_child(code: str) -> int:
    """Run `code` (it prints a child's pid, then sleeps) in a process, SIGKILL that
    process once the pid is printed; returns the child's pid."""
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        child = int(p.stdout.readline())
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=30)
        p.stdout.close()
    return child


def test_descendants_lists_children_and_grandchildren():
    p = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until the shell has started its sleep
            found = lifeline.descendants(os.getpid())
            below_shell = [pid for pid in found if lifeline._stat(pid)[0] == p.pid]
            if below_shell:
                break
            time.sleep(0.02)
        assert p.pid in found and found[p.pid] == lifeline._start_time(p.pid)
        assert below_shell
    finally:
        for pid in lifeline.descendants(p.pid):
            os.kill(pid, signal.SIGKILL)
        p.kill()
        p.wait()


def test_end_all_never_signals_a_pid_now_held_by_another_process():
    p = subprocess.Popen(["sleep", "30"])
    try:
        started = lifeline._start_time(p.pid)
        lifeline.end_all({p.pid: started + 1})  # as if the recorded process ended and its pid was reused
        assert p.poll() is None
        lifeline.end_all({p.pid: started})
        assert p.wait(timeout=5) == -signal.SIGTERM
    finally:
        p.kill()
        p.wait()


def test_the_watcher_ends_what_a_killed_process_started():
    child = _killed_parent_and_child(
        "import subprocess, time\nfrom flows.engine import lifeline\nlifeline.watch_build()\n"
        "p = subprocess.Popen(['sleep', '60'])\nlifeline.watch_build()  # listed now: no refresh to wait for\n"
        "print(p.pid, flush=True)\ntime.sleep(60)")
    try:
        assert _gone_within(child, 5), "the child outlived its killed parent"
    finally:
        if lifeline._start_time(child) is not None:
            os.kill(child, signal.SIGKILL)


def test_a_forked_child_dies_with_its_parent():
    child = _killed_parent_and_child(
        "import os, time\nfrom flows.engine import lifeline\nlifeline.forks_die_with_parent()\n"
        "pid = os.fork()\nif pid == 0:\n    time.sleep(60)\n    os._exit(0)\nprint(pid, flush=True)\ntime.sleep(60)")
    try:
        assert _gone_within(child, 5), "the forked child outlived its killed parent"
    finally:
        if lifeline._start_time(child) is not None:
            os.kill(child, signal.SIGKILL)
