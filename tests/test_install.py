"""Installed as users install it: a wheel built from the checkout, in a fresh venv, serving every page elsewhere.

No download: the wheel is built without build isolation (setuptools from the test extras) and the fresh venv
borrows the project venv's dependencies through a `.pth` line, while foedus itself comes only from the wheel
(checked: the served package lives in the fresh venv). The server runs from a directory outside the checkout,
where no node_modules, queries or templates lie, on a free loopback port.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.ui.release import shared_releases
from test_server_live import free_port, stop, wait_until_up

from foedus.server.vendor import VENDOR

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "node_modules", "releases", "build", "dist", "artifacts",
                              "*.egg-info", "__pycache__", ".*_cache")
# What setuptools says when a folder of files is not declared as a package (issue 18), or of a deprecated
# configuration. (Its "Editable installation" notice, printed for every editable install by a path finder, is
# information, not a warning about our configuration.)
WARNINGS = re.compile(r"absent from the `packages` configuration|as data is deprecated|SetuptoolsDeprecationWarning")


def _pip(python: Path, *args: str, cwd: Path) -> str:
    """Run pip offline; return everything it (and the build backend, with -v) printed."""
    done = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "--no-input", *args,
                           "--no-index", "--no-build-isolation", "-v"],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def _fresh_venv(where: Path) -> Path:
    """A new venv whose site-packages also sees the project venv's dependencies (but not its foedus)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # A plain path line: the project venv's own .pth files (its editable foedus) are not processed.
    Path(purelib, "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's files (what a fresh clone holds), so building writes nothing into the checkout."""
    target = tmp_path_factory.mktemp("checkout") / "foedus"
    shutil.copytree(ROOT, target, ignore=SKIP, symlinks=True)
    return target


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel built from the copy, and what the build printed."""
    out = tmp_path_factory.mktemp("wheel")
    printed = _pip(Path(sys.executable), "wheel", "--no-deps", "-w", str(out), str(source), cwd=out)
    return next(out.glob("foedus-*.whl")), printed


def test_building_the_wheel_prints_no_packaging_warning(wheel: tuple[Path, str]) -> None:
    """Every data folder is declared, so setuptools has nothing to warn about."""
    assert WARNINGS.findall(wheel[1]) == []


def test_editable_install_prints_no_packaging_warning(source: Path, tmp_path: Path) -> None:
    """`pip install -e .` (what `make` runs) is as quiet as the wheel build."""
    printed = _pip(_fresh_venv(tmp_path / "venv"), "install", "--no-deps", "-e", str(source), cwd=tmp_path)
    assert WARNINGS.findall(printed) == []


@pytest.fixture(scope="module")
def installed(wheel: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`foedus serve` from the wheel installed in a fresh venv, in an empty directory; yield its URL."""
    home = tmp_path_factory.mktemp("elsewhere")
    python = _fresh_venv(home / "venv")
    _pip(python, "install", "--no-deps", str(wheel[0]), cwd=home)
    where = subprocess.run([str(python), "-c", "import foedus.server; print(foedus.server.__file__)"],
                           cwd=home, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(home / "venv")), where
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOEDUS_")}
    env.update(FOEDUS_RELEASES=str(shared_releases()), FOEDUS_CONFIG=str(home / "none.toml"))
    log = home / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([str(home / "venv" / "bin" / "foedus"), "serve", "--port", str(port),
                                 "--workers", "1"], cwd=home, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz", proc, "installed foedus serve", 90, 0.3,
                      lambda: log.read_text(errors="replace")[-3000:])
        yield url
    finally:
        stop(proc, 10)


def _get(url: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get_content_type(), response.read()


@pytest.mark.parametrize("path", ["/", "/query", "/timeline?of=alliance/nato", "/network?year=1990", "/map",
                                  "/dyad?a=2&b=200", "/dataset", "/ontology", "/api", "/id/alliance/nato",
                                  "/id/state/2"])
def test_installed_package_serves_every_page_with_its_assets(installed: str, path: str) -> None:
    """Each page answers 200 HTML, and every script and stylesheet it names answers 200 from this server."""
    status, kind, body = _get(installed + path)
    assert (status, kind) == (200, "text/html")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', body.decode("utf-8"))
    for asset in assets:
        asset_status, _, data = _get(installed + asset)
        assert asset_status == 200 and data, asset


def test_installed_package_serves_the_country_shapes(installed: str) -> None:
    """The map's TopoJSON (fetched by map.js, so no <script> names it) is package data of the installed wheel."""
    status, kind, data = _get(f"{installed}/vendor/countries-110m.json")
    assert (status, kind) == (200, "application/json") and b'"type":"Topology"' in data


def test_installed_query_page_loads_the_editor(installed: str) -> None:
    """The query page names YASGUI's script and stylesheet, and the installed server serves both in full."""
    html = _get(installed + "/query")[2].decode("utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert f"/vendor/{name}" in html
        status, kind, data = _get(f"{installed}/vendor/{name}")
        assert status == 200 and kind in ("text/javascript", "application/javascript", "text/css")
        assert len(data) > 50_000 and data.startswith(b"/*! Generated by `make vendor`")
    assert {n for n in VENDOR if n.startswith("yasgui")} == {"yasgui.min.js", "yasgui.min.css"}
