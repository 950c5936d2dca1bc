"""Time pySHACL (our validator, over oxigraph) against Jena's `shacl` on the same graph and shapes; print JSON.

    python bench/shacl_bench.py [--data release.nq] [--runs 1]

Without --data the release is built from FOEDUS_SOURCES (default ../shared/data) and its dataset is captured at
the validation step. Jena comes from Debian's libapache-jena-java (no launcher script: the class path is built
from the package's dependencies). Jena gets the union of all graphs as N-Triples (its CLI validates one graph),
so the one rule that compares spells within a named graph (fos:MembershipSpellsDisjointShape) finds nothing there.
Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pyoxigraph as ox

JENA_JARS = Path("/usr/share/java")
JENA_PACKAGE = "libapache-jena-java"


def build_release_nquads(out: Path) -> None:
    """Run the build and write the dataset it validates to `out` (N-Quads)."""
    import foedus.shapes.validate as v
    from foedus.graph.build import build_release
    from foedus.settings import load_settings

    def capture(dataset: object) -> v.Report:
        dataset.serialize(str(out), format="nquads")  # type: ignore[attr-defined]
        return v.Report()

    original = v.validate_release_graph
    v.validate_release_graph = capture  # type: ignore[assignment]
    try:
        sources = os.environ.get("FOEDUS_SOURCES") or str(Path(__file__).resolve().parents[2] / "shared" / "data")
        with tempfile.TemporaryDirectory() as releases:
            build_release(load_settings({"sources": sources, "releases": releases}), progress=False)
    finally:
        v.validate_release_graph = original  # type: ignore[assignment]


def time_pyshacl(data: Path) -> dict[str, object]:
    from foedus.shapes.validate import validate_store

    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter()
    report = validate_store(store)
    done = time.perf_counter()
    return {"load_s": round(loaded - started, 2), "validate_s": round(done - loaded, 2),
            "total_s": round(done - started, 2), "triples": report.triples,
            "violations": len(report.violations), "warnings": len(report.warnings), "infos": len(report.infos)}


def _jena_classpath(work: Path) -> str:
    """Jena's jars and their Debian dependencies, one SLF4J binding, and the Xerces message bundles that Debian's
    repackaged jena-core moved away from its classes (without them Jena fails at start-up with 'internal error')."""
    deps = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
         "--no-replaces", "--no-enhances", JENA_PACKAGE], capture_output=True, text=True, check=True).stdout
    packages = sorted({line.strip() for line in deps.splitlines() if line.strip().endswith("-java")
                       and not line.startswith(" ")} | {JENA_PACKAGE})
    jars: list[str] = []
    for package in packages:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False).stdout
        for line in listing.splitlines():
            p = Path(line)
            if p.parent == JENA_JARS and p.suffix == ".jar" and not p.stem[-1].isdigit() and "slf4j" not in p.name:
                jars.append(str(p))
    jars += [str(JENA_JARS / "slf4j-api.jar"), str(JENA_JARS / "slf4j-nop.jar")]
    bundles = work / "xerces-bundles"
    with zipfile.ZipFile(JENA_JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            prefix = "org/apache/jena/ext/xerces/"
            if name.startswith(prefix) and name.endswith(".properties"):
                target = bundles / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([*jars, str(bundles)])


def time_jena(data: Path, work: Path) -> dict[str, object]:
    from foedus.shapes.validate import ontology_ntriples, shape_files

    if shutil.which("java") is None or not (JENA_JARS / "jena-shacl.jar").exists():
        return {"error": f"install Debian's {JENA_PACKAGE} (and a JRE) to compare with Jena"}
    union = work / "union.nt"
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(ontology_ntriples(), format=ox.RdfFormat.N_QUADS)
    with union.open("wb") as out:
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), out, ox.RdfFormat.N_TRIPLES)
    shapes = ox.Store()
    for f in shape_files():
        shapes.load(f.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/foedus/shapes/")
    shapes_file = work / "shapes.nt"
    with shapes_file.open("wb") as out:
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in shapes), out, ox.RdfFormat.N_TRIPLES)
    cmd = ["java", "-cp", _jena_classpath(work), "shacl.shacl", "validate",
           "--shapes", str(shapes_file), "--data", str(union)]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 and "ValidationReport" not in done.stdout:
        return {"error": done.stderr[-2000:]}
    report = ox.Store()
    report.load(done.stdout.encode(), format=ox.RdfFormat.TURTLE)
    counts = {}
    for severity in ("Violation", "Warning", "Info"):
        q = ("SELECT (COUNT(*) AS ?n) WHERE { ?r <http://www.w3.org/ns/shacl#resultSeverity> "
             f"<http://www.w3.org/ns/shacl#{severity}> }}")
        counts[severity.lower() + "s"] = int(next(iter(report.query(q)))[0].value)  # type: ignore[index, arg-type]
    return {"total_s": round(elapsed, 2), "triples": len(store), **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="N-Quads of the release (default: build it now)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            data = work / "release.nq"
            build_release_nquads(data)
        result = {"data": str(args.data or "release built from FOEDUS_SOURCES"),
                  "pyshacl_oxigraph": time_pyshacl(data), "jena_shacl": time_jena(data, work)}
    py, jena = result["pyshacl_oxigraph"], result["jena_shacl"]
    if isinstance(py, dict) and isinstance(jena, dict) and "total_s" in jena:
        result["ratio_pyshacl_to_jena"] = round(float(py["total_s"]) / max(float(jena["total_s"]), 0.01), 2)  # type: ignore[arg-type]
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
