"""`foedus serve` logs our own lines under `foedus.*` at the operator's log_level, and no library's chatter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_server_live import ALLIANCES, ROOT, RUNAWAY, free_port, stop, wait_until_up

# A log line of the format foedus.logs.FORMAT: [time] [pid] [LEVEL] logger: message.
OURS = re.compile(r"^\[[^]]+\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR)\] (foedus(?:\.[\w.]+)?): ")


def _serve_and_log(tmp_path: Path, level: str) -> list[str]:
    """Serve the fixture at `level`, ask for pages and one runaway query, stop; the lines it printed."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOEDUS_")}
    env.update(FOEDUS_LOG_LEVEL=level, FOEDUS_QUERY_TIMEOUT="1", FOEDUS_CONFIG=str(tmp_path / "none.toml"))
    log = tmp_path / f"serve-{level}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "foedus.cli", "serve", str(ALLIANCES), "--port", str(port),
                                 "--workers", "1"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", proc, "server", 60, 0.2, lambda: log.read_text(errors="replace"))
        for path in ("/ontology", "/query", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})):
            accept = "application/sparql-results+json" if path.startswith("/sparql") else "text/html"
            request = urllib.request.Request(base + path, headers={"Accept": accept})
            try:
                urllib.request.urlopen(request, timeout=30).close()
            except urllib.error.HTTPError as exc:
                assert exc.code == 503 and path.startswith("/sparql")
    finally:
        stop(proc, 15)
    return log.read_text(encoding="utf-8", errors="replace").splitlines()


def _foreign(lines: list[str]) -> list[str]:
    """Lines from the root logger or another library in logging's default format, or any DEBUG not ours."""
    return [line for line in lines if re.match(r"^(DEBUG|INFO|WARNING):", line)
            or ("DEBUG" in line and not OURS.match(line))]


@pytest.mark.parametrize("level", ["info", "warning"])
def test_serve_logs_only_our_lines_at_the_chosen_level(tmp_path: Path, level: str) -> None:
    """No asyncio or pyLODE lines; our start-up line at info, the query kill at warning, both under foedus.*."""
    lines = _serve_and_log(tmp_path, level)
    assert _foreign(lines) == [], lines
    ours = [OURS.match(line).groups() for line in lines if OURS.match(line)]  # type: ignore[union-attr]
    assert ("WARNING", "foedus.server.query_pool") in ours
    assert (("INFO", "foedus.server.run") in ours) == (level == "info")
    assert all(name.startswith("foedus") for _, name in ours)


def test_a_bad_log_level_names_the_setting(tmp_path: Path) -> None:
    """log_level must be one of the levels; the error names the setting and the value."""
    env = {**os.environ, "FOEDUS_LOG_LEVEL": "loud", "FOEDUS_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run([sys.executable, "-m", "foedus.cli", "serve", str(ALLIANCES), "--port", str(free_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "log_level" in done.stderr and "'loud'" in done.stderr
