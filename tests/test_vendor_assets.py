"""The committed copy of the front-end files (server/static/vendor) is exactly what `make vendor` writes now."""

from __future__ import annotations

from pathlib import Path

from foedus.server.vendor import LICENCES, NOTICE, VENDOR, expected_files, vendor_dir

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


def test_vendor_copy_is_current_with_node_modules() -> None:
    """Same files, same bytes as the pinned npm packages behind their banners; else run `make vendor`."""
    assert NODE_MODULES.is_dir(), "node_modules is missing: run `make ui-assets` (npm ci) first"
    want = expected_files(NODE_MODULES)
    have = {str(p.relative_to(vendor_dir())): p.read_bytes() for p in vendor_dir().rglob("*") if p.is_file()}
    assert sorted(have) == sorted(want), "server/static/vendor is out of date: run `make vendor`"
    stale = [name for name in want if have[name] != want[name]]
    assert stale == [], f"differs from node_modules: {stale}; run `make vendor`"


def test_every_asset_has_a_banner_and_every_package_its_licence_notice() -> None:
    """Each served file says where it comes from; NOTICE.md names each package, its version and licence."""
    for name, (package, rel) in VENDOR.items():
        first = (vendor_dir() / name).read_bytes().split(b"\n", 1)[0]
        assert package.encode() in first and rel.encode() in first and b"do not edit" in first
    notice = (vendor_dir() / NOTICE).read_text(encoding="utf-8")
    for package in LICENCES:
        assert f"- {package} " in notice
    assert list((vendor_dir() / "licenses").iterdir())
