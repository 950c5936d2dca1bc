"""A `foedus build` SIGKILLed while it validates or while it writes files leaves the previous release intact, and
the next build removes what the killed one left. The phase is found from outside, as an operator would see it:
the build's progress line for validation, the first file appearing in its staging directory for serialisation;
the build is then stopped (SIGSTOP) to check where it is, and killed."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foedus.graph import layout
from foedus.graph.staging import LINK, OLD, STAGING, sweep

ROOT = Path(__file__).resolve().parents[1]


def _env(releases: Path) -> dict[str, str]:
    """The curated core only (no public data), into `releases`; progress lines unbuffered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOEDUS_")}
    env.update(FOEDUS_RELEASES=str(releases), FOEDUS_CONFIG=str(releases.parent / "none.toml"), PYTHONUNBUFFERED="1")
    return env


def _build(releases: Path, watch: bool) -> subprocess.Popen[str]:
    """`foedus build` in the background; its progress lines on a pipe when we `watch` them."""
    out = subprocess.PIPE if watch else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "foedus.cli", "build"], cwd=ROOT, env=_env(releases),
                            stdout=out, stderr=subprocess.STDOUT, text=True)


def _snapshot(releases: Path) -> tuple[str, dict[str, str]]:
    """Where `latest` points and the SHA-256 of every file of that release."""
    latest = layout.latest(releases)
    return os.readlink(latest), {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                 for p in sorted(latest.resolve().iterdir())}


def _leftovers(releases: Path) -> list[str]:
    return sorted(p.name for p in releases.iterdir() if p.name.startswith((STAGING, OLD, LINK)))


@pytest.fixture()
def releases(tmp_path: Path) -> Path:
    """A releases directory holding one finished release."""
    folder = tmp_path / "releases"
    done = subprocess.run([sys.executable, "-m", "foedus.cli", "build", "--quiet"], cwd=ROOT, env=_env(folder),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folder


def _kill_when(proc: subprocess.Popen[str], ready: object, what: str) -> None:
    """SIGSTOP the build once `ready()` holds, then SIGKILL it; fail if it finished first."""
    deadline = time.monotonic() + 600
    while not ready():  # type: ignore[operator]
        assert proc.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGSTOP)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    if proc.stdout is not None:
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL


def _assert_next_build_cleans(releases: Path, before: tuple[str, dict[str, str]]) -> None:
    done = subprocess.run([sys.executable, "-m", "foedus.cli", "build"], cwd=ROOT, env=_env(releases),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _leftovers(releases) == []
    assert _snapshot(releases) == before  # the same inputs: the same release, byte for byte


def test_killed_during_validation_keeps_the_previous_release(releases: Path) -> None:
    """Killed while SHACL validation runs: nothing of the new build is written, latest still serves the old one."""
    before = _snapshot(releases)
    proc = _build(releases, watch=True)
    assert proc.stdout is not None

    def validating() -> bool:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        return "] validating against the shapes" in line

    _kill_when(proc, validating, "the validation line")
    assert _snapshot(releases) == before
    assert _leftovers(releases) == []
    _assert_next_build_cleans(releases, before)


def test_killed_during_serialisation_keeps_the_previous_release_and_the_next_build_cleans_up(
        releases: Path) -> None:
    """Killed while writing into its staging directory: latest and its files are unchanged, the half-written
    staging directory stays behind, and the next build removes it and publishes."""
    before = _snapshot(releases)
    proc = _build(releases, watch=False)

    def writing() -> bool:
        return any(p.name.startswith(STAGING) and any(p.iterdir()) for p in releases.iterdir())

    _kill_when(proc, writing, "a file in the staging directory")
    staging = [name for name in _leftovers(releases) if name.startswith(STAGING)]
    assert len(staging) == 1
    assert _snapshot(releases) == before
    _assert_next_build_cleans(releases, before)


def test_sweep_puts_back_a_release_set_aside_by_a_build_that_died(tmp_path: Path) -> None:
    """Killed between moving releases/<v> aside and renaming the new copy in: the next sweep restores it."""
    releases = tmp_path / "releases"
    old = releases / f"{OLD}1.0.0+abc-4242"
    old.mkdir(parents=True)
    (old / layout.NQUADS).write_text("<a> <b> <c> <g> .\n", encoding="utf-8")
    (releases / layout.LATEST).symlink_to("1.0.0+abc")
    (releases / f"{STAGING}1.0.0+abc-4242").mkdir()
    (releases / f"{LINK}4242").symlink_to("1.0.0+abc")
    removed = sweep(releases)
    assert len(removed) == 3
    assert (layout.latest(releases) / layout.NQUADS).read_text(encoding="utf-8") == "<a> <b> <c> <g> .\n"
    assert _leftovers(releases) == []
