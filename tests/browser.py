"""A page opened as a person opens it: the system's headless Chromium, with the network cut off.

The lightest honest driver: Chromium's own command line (no driver library, no browser download).
One run dumps the live DOM after the page's scripts ran (`--dump-dom`, virtual time so charts
finish) while `--log-net-log` records every request the browser made; a second run takes a
screenshot. The network is cut off twice: Chromium runs in an empty network namespace
(`unshare --net`, when the machine allows it) and resolves no host name. A request that leaves
the page is still recorded by the net log (it is started before it fails), so `requests` lists
it: a page request is one whose network isolation key is the page's (file://); the browser's own
background requests (component updates) are not the page's.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("XXGK_TEST_OUTPUT", ROOT / "test-output"))
FLAGS = ["--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--lang=zh-CN"]


def chromium() -> str:
    """The Chromium executable; a failure (not a skip) saying how to install it when missing."""
    found = os.environ.get("XXGK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed: `make test` installs it (apt-get install chromium fonts-noto-cjk); "
                    "the report is tested in a real browser", pytrace=False)
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        pytest.fail("no Chinese font (fc-list :lang=zh is empty): `make test` installs fonts-noto-cjk; without one "
                    "the screenshot shows boxes instead of Chinese", pytrace=False)
    return found


@lru_cache(maxsize=1)
def _offline_prefix() -> tuple[str, ...]:
    """`unshare --net` when this machine lets us make an empty network namespace, else nothing
    (the host resolver rule still keeps every name from resolving)."""
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        return ("unshare", "--net")
    return ()


@dataclass
class Loaded:
    dom: str                 # the live DOM after the scripts ran
    requests: list[str]      # URLs the page asked for over the network (should be none)
    screenshot: Path
    console: list[str]       # the page's console messages (errors included)


def _command(profile: Path, *extra: str) -> list[str]:
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    return [*_offline_prefix(), chromium(), *FLAGS, *sandbox, f"--user-data-dir={profile}", *extra]


def page_requests(net_log: Path) -> list[str]:
    """URLs of requests started for the page (network isolation key file://), from a net log."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"]
            if e["type"] == start and str(e.get("params", {}).get("network_isolation_key", "")).startswith("file://")]


def open_page(page: Path, work: Path, name: str, *, width: int = 1280, height: int = 2400,
              budget_ms: int = 20_000) -> Loaded:
    """Open `page` twice in headless Chromium (DOM + net log, then a screenshot saved as
    test-output/`name`.png for a person to look at)."""
    work.mkdir(parents=True, exist_ok=True)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url, net_log, shot = page.resolve().as_uri(), work / f"{name}-net.json", OUTPUT / f"{name}.png"
    dom = subprocess.run(_command(work / "profile-dom", "--enable-logging=stderr", f"--log-net-log={net_log}",
                                  "--net-log-capture-mode=Everything", f"--virtual-time-budget={budget_ms}",
                                  "--dump-dom", url),
                         capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-3000:]
    subprocess.run(_command(work / "profile-shot", f"--window-size={width},{height}",
                            f"--virtual-time-budget={budget_ms}", f"--screenshot={shot}", url),
                   capture_output=True, timeout=180, check=True)
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    return Loaded(dom.stdout, page_requests(net_log), shot, console)
