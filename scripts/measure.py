"""Wall time and peak memory of a command's whole process tree, for the benchmark scripts."""
from __future__ import annotations

import argparse
import os
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak tree RSS in KB, exit status) of a command."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    print(out.strip()[-1500:])
    return time.monotonic() - started, peak[0], proc.returncode


def corpus_options(parser: argparse.ArgumentParser, reports: int, keep: str) -> None:
    """--reports, --years and --keep DIR, the options of a benchmark on a rendered corpus."""
    parser.add_argument("--reports", type=int, default=reports, help="how many reports to render")
    parser.add_argument("--years", type=int, default=4, help="years each body reports for")
    parser.add_argument("--keep", help=keep)
