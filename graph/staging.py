"""Putting a release in place so that a build killed at any moment leaves the previous one intact.

A build writes into `releases/.tmp-<version>-<pid>/`, renames it to `releases/<version>` and swaps the
`releases/latest` symlink with one atomic rename. Everything from the first file to the swap happens under an
exclusive lock on `releases/.build.lock` (flock: the kernel drops it when the process dies, even by SIGKILL), and
so does `sweep`, which each build runs first: whatever it finds of a staging directory, a set-aside old copy or
a half-made link is a leftover of a build that died, and is removed (or, for a set-aside copy whose release is
missing, put back).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from foedus.graph import layout

LOCK = ".build.lock"
STAGING = ".tmp-"  # .tmp-<version>-<pid>: a release being written
OLD = ".old-"  # .old-<version>-<pid>: the previous copy of a version being replaced
LINK = ".latest-"  # .latest-<pid>: the new `latest` link before its rename


@contextmanager
def _locked(releases: Path) -> Iterator[None]:
    """Hold the releases directory's build lock (waits for another build that holds it)."""
    releases.mkdir(parents=True, exist_ok=True)
    with open(releases / LOCK, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _version_of(name: str, prefix: str) -> str:
    """`.old-0.1.0+abc-123` -> `0.1.0+abc` (the pid is the last dash-separated part)."""
    return name[len(prefix):].rsplit("-", 1)[0]


def _sweep_locked(releases: Path) -> list[str]:
    removed = []
    for entry in sorted(releases.iterdir()):
        name = entry.name
        if name.startswith(OLD) and entry.is_dir() and not entry.is_symlink():
            target = releases / _version_of(name, OLD)
            if not target.exists():
                os.rename(entry, target)  # died between setting the old copy aside and renaming the new one
                removed.append(f"{name} (restored as {target.name})")
                continue
            shutil.rmtree(entry)
        elif name.startswith(STAGING) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        elif name.startswith(LINK) and entry.is_symlink():
            entry.unlink()
        else:
            continue
        removed.append(name)
    return removed


def sweep(releases: Path) -> list[str]:
    """Remove what builds that died left in `releases` (waiting for a running build); the names removed."""
    if not releases.is_dir():
        return []
    with _locked(releases):
        return _sweep_locked(releases)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def staged_release(releases: Path, version: str) -> Iterator[Path]:
    """Yield an empty staging directory to write the release into; on leaving, put it in place as `version` and
    point `latest` at it. An exception removes the staging directory and leaves everything else as it was."""
    with _locked(releases):
        _sweep_locked(releases)
        pid = os.getpid()
        tmp = releases / f"{STAGING}{version}-{pid}"
        tmp.mkdir()
        try:
            yield tmp
            _fsync_dir(tmp)
            target = releases / version
            if target.exists():
                old = releases / f"{OLD}{version}-{pid}"
                os.rename(target, old)
                os.rename(tmp, target)
                shutil.rmtree(old)
            else:
                os.rename(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        link = releases / f"{LINK}{pid}"
        os.symlink(version, link)
        os.replace(link, layout.latest(releases))
        _fsync_dir(releases)
