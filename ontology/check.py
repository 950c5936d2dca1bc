"""Check the ontology: HermiT (consistency, unsatisfiable classes, fixture classification) and quality rules.

Each quality rule is one function; where SPARQL says it well the rule is a query
`ontology/checks/*-violation.rq` whose rows are violations (the cell-ontology habit).
`foedus ontology check` prints the problems and exits 1.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, Graph, URIRef
from rdflib.exceptions import ParserError

from foedus.errors import OntologyError
from foedus.ontology.codegen import core_path
from foedus.ontology.extensions import list_extensions

ONTOLOGY_BASE = "https://w3id.org/foedus/ontology"
TERM_BASE = ONTOLOGY_BASE + "/"
FIXTURE_NS = "https://w3id.org/foedus/id/fixture/"
EXPECTED = URIRef(FIXTURE_NS + "expectedType")
UNEXPECTED = URIRef(FIXTURE_NS + "unexpectedType")
#: Sub-packages whose Turtle and SPARQL files may use fo: terms.
SCANNED_PACKAGES = ("foedus.ontology", "foedus.shapes", "foedus.graph", "foedus.queries", "foedus.server")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the ontology: the rule broken, the term concerned, the file (and line)."""

    rule: str
    term: str
    file: str
    message: str = ""

    def __str__(self) -> str:
        text = f"{self.file}: {self.rule}: {self.term}"
        return f"{text}: {self.message}" if self.message else text


@dataclass
class OntologySet:
    """The files that make up the ontology (core, extensions, extras), each parsed, and their union."""

    files: list[Path]
    graphs: dict[Path, Graph] = field(default_factory=dict)
    merged: Graph = field(default_factory=Graph)

    def origin(self, term: str) -> str:
        """The file that declares `term` (or mentions it first), for messages."""
        iri = URIRef(term)
        for path, graph in self.graphs.items():
            if (iri, RDF.type, None) in graph:
                return display(path)
        for path, graph in self.graphs.items():
            if (iri, None, None) in graph:
                return display(path)
        return ", ".join(display(p) for p in self.files)

    def declared(self) -> set[str]:
        """IRIs under the ontology namespace these files declare (typed), plus ontologies and versions."""
        names = {str(s) for s in self.merged.subjects(RDF.type, None) if isinstance(s, URIRef)}
        names |= {str(o) for o in self.merged.objects(None, OWL.versionIRI)}
        return {n for n in names if n.startswith(ONTOLOGY_BASE)}


def display(path: Path) -> str:
    """A path as people want to read it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def without_imports(graph: Graph) -> Graph:
    """A copy of `graph` without owl:imports, so no tool fetches imports over the network: everything is local."""
    local = Graph() + graph
    local.remove((None, OWL.imports, None))
    return local


def fixture_path() -> Path:
    """The classification fixture shipped with the package."""
    return Path(str(files("foedus.ontology") / "fixtures" / "classification.ttl"))


def checks_dir() -> Path:
    """The folder of `*-violation.rq` quality queries."""
    return Path(str(files("foedus.ontology") / "checks"))


def load_ontology_set(core: Path | None = None, extensions: list[Path] | None = None,
                      extra: list[Path] | None = None) -> OntologySet:
    """Parse the core, the extensions (default: all) and extra files; a file that does not parse raises."""
    paths = [core or core_path()]
    paths += extensions if extensions is not None else [e.ontology for e in list_extensions()]
    paths += extra or []
    loaded = OntologySet(files=paths)
    for path in paths:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except (SyntaxError, ParserError, ValueError) as exc:
            raise OntologyError(f"cannot parse Turtle: {exc}", where=display(path)) from exc
        loaded.graphs[path] = graph
        loaded.merged += graph
    return loaded


# ---------------------------------------------------------------- quality rules (SPARQL)

def run_violation_query(name: str, loaded: OntologySet,
                        message: Callable[[dict[str, str]], str]) -> list[Problem]:
    """Run checks/<name>-violation.rq over the union of the ontology files; each row is one problem."""
    query = (checks_dir() / f"{name}-violation.rq").read_text(encoding="utf-8")
    problems = []
    for row in loaded.merged.query(query):
        values = {str(k): str(v) for k, v in row.asdict().items()}  # type: ignore[union-attr]
        term = values["term"]
        problems.append(Problem(name, term, loaded.origin(term), message(values)))
    return sorted(set(problems))


def missing_label(loaded: OntologySet) -> list[Problem]:
    """Every fo: term has an English rdfs:label."""
    return run_violation_query("missing-label", loaded, lambda _: "add an rdfs:label \"...\"@en")


def missing_definition(loaded: OntologySet) -> list[Problem]:
    """Every fo: term has an English skos:definition."""
    return run_violation_query("missing-definition", loaded, lambda _: "add a skos:definition \"...\"@en")


def duplicate_label(loaded: OntologySet) -> list[Problem]:
    """No two fo: terms share a label (ignoring case) in one language."""
    return run_violation_query("duplicate-label", loaded,
                               lambda row: f"label \"{row['label']}\" is shared by {row['shared']}")


def duplicate_notation(loaded: OntologySet) -> list[Problem]:
    """No two fo: terms of one sort share a skos:notation (importers map codes to classes by it)."""
    return run_violation_query("duplicate-notation", loaded,
                               lambda row: f"notation \"{row['notation']}\" is also that of {row['other']}")


def missing_is_defined_by(loaded: OntologySet) -> list[Problem]:
    """Every fo: term names the ontology that defines it with rdfs:isDefinedBy."""
    return run_violation_query("missing-is-defined-by", loaded,
                               lambda _: "add rdfs:isDefinedBy <the ontology IRI>")


def missing_ontology_metadata(loaded: OntologySet) -> list[Problem]:
    """The core and every extension carry version, title, description, creator and licence."""
    return run_violation_query("missing-ontology-metadata", loaded, lambda row: f"add {row['missing']}")


# ---------------------------------------------------------------- quality rule: undeclared terms (file scan)

_IRI = re.compile(r"<([^<>\s\"{}|^`\\]*)>")
_PREFIX_DECL = re.compile(r"(?i)(?:@prefix|prefix)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_STRING = re.compile(r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.S)
_COMMENT = re.compile(r"#[^\n]*")
_PNAME = re.compile(r"(?<![\w?$:/.-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:([A-Za-z_][\w-]*(?:\.[\w-]+)*)")


def repository_files(packages: Iterable[str] = SCANNED_PACKAGES) -> list[Path]:
    """Every .ttl and .rq file in the given sub-packages (read through importlib.resources), sorted."""
    found: set[Path] = set()
    for package in packages:
        root = Path(str(files(package)))
        for pattern in ("*.ttl", "*.rq"):
            found.update(p for p in root.rglob(pattern)
                         if "__pycache__" not in p.parts and ".venv" not in p.parts)
    return sorted(found)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def terms_used(path: Path) -> Iterator[tuple[str, int]]:
    """(IRI, line) of each IRI under the ontology namespace a Turtle or SPARQL file uses, full or prefixed."""
    text = path.read_text(encoding="utf-8")
    prefixes = {"fo": TERM_BASE}  # queries may rely on the endpoint's default fo: prefix
    for match in _PREFIX_DECL.finditer(text):
        prefixes[match.group(1) or ""] = match.group(2)
    for match in _IRI.finditer(text):
        iri = match.group(1)
        if iri.startswith(TERM_BASE) and iri != TERM_BASE and not text[:match.start()].rstrip().endswith(":"):
            yield iri, _line_of(text, match.start())
    # Blank out IRIs, strings and comments (keeping offsets), then read prefixed names.
    masked = _IRI.sub(lambda m: " " * len(m.group(0)), text)
    masked = _STRING.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
    masked = _COMMENT.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _PNAME.finditer(masked):
        namespace = prefixes.get(match.group(1) or "")
        if namespace and namespace.startswith(TERM_BASE):
            yield namespace + match.group(2).rstrip("."), _line_of(masked, match.start())


def undeclared_terms(declared: set[str], paths: Iterable[Path]) -> list[Problem]:
    """Every fo: (or extension) IRI used in the given files is declared by the core or an extension."""
    problems = []
    for path in paths:
        seen: set[str] = set()
        for iri, line in terms_used(path):
            if iri not in declared and iri not in seen:
                seen.add(iri)
                problems.append(Problem("undeclared-term", iri, f"{display(path)}:{line}",
                                        "not declared in ontology/foedus.ttl or an extension"))
    return problems


# ---------------------------------------------------------------- reasoning (owlready2 + HermiT)

def _reason(graph: Graph, workdir: Path, name: str) -> tuple[Any, bool]:
    """Load `graph` into a fresh owlready2 World, run HermiT; returns (world, consistent)."""
    import owlready2

    source = workdir / f"{name}.nt"
    without_imports(graph).serialize(destination=source, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(source.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        return None, False
    except owlready2.OwlReadyJavaError as exc:
        world.close()
        raise OntologyError(f"HermiT failed: {exc}", where=name,
                            hint="HermiT needs Java (17 works); check `java -version`") from exc
    return world, True


def reasoning_problems(loaded: OntologySet, fixture: Path | None = None) -> list[Problem]:
    """HermiT: the ontology is consistent, no class is unsatisfiable, the fixture classifies as expected."""
    everything = ", ".join(display(p) for p in loaded.files)
    with tempfile.TemporaryDirectory(prefix="foedus-ontology-") as tmp:
        world, consistent = _reason(loaded.merged, Path(tmp), "ontology")
        if not consistent:
            return [Problem("inconsistent", ONTOLOGY_BASE, everything,
                            "HermiT finds the ontology inconsistent (an individual in disjoint classes?)")]
        problems = []
        for cls in world.inconsistent_classes():
            iri = str(cls.iri)
            if iri != str(OWL.Nothing):
                problems.append(Problem("unsatisfiable-class", iri, loaded.origin(iri),
                                        "HermiT finds no instance can exist (subclass of disjoint classes?)"))
        world.close()
        if problems or fixture is None:
            return sorted(problems)
        expectations = Graph().parse(fixture, format="turtle")
        world, consistent = _reason(loaded.merged + expectations, Path(tmp), "fixture")
        if not consistent:
            return [Problem("fixture-inconsistent", str(fixture), display(fixture),
                            "the ontology with the classification fixture is inconsistent")]
        for predicate, wanted in ((EXPECTED, True), (UNEXPECTED, False)):
            for individual, cls_iri in expectations.subject_objects(predicate):
                problems += _classification(world, str(individual), str(cls_iri), wanted, fixture)
        world.close()
    return sorted(problems)


def _classification(world: Any, individual: str, cls_iri: str, wanted: bool,
                    fixture: Path) -> list[Problem]:
    """A problem when the inferred types of `individual` do (or, unwanted, do) include `cls_iri`."""
    ind, cls = world[individual], world[cls_iri]
    if ind is None or cls is None:
        return [Problem("fixture-unknown-term", individual if ind is None else cls_iri, display(fixture))]
    if (cls in ind.INDIRECT_is_a) == wanted:
        return []
    verb = "is not" if wanted else "is wrongly"
    return [Problem("fixture-classification", individual, display(fixture), f"{verb} inferred a {cls_iri}")]


def dl_profile(loaded: OntologySet) -> list[Problem]:
    """Core, extensions and extras together are OWL 2 DL (OWL API profile check: hasParty stays simple)."""
    from foedus.ontology.profile import dl_profile_violations

    with tempfile.TemporaryDirectory(prefix="foedus-profile-") as tmp:
        violations = dl_profile_violations(loaded.merged, Path(tmp))
    return [Problem("owl2-dl-profile", iri or ONTOLOGY_BASE, loaded.origin(iri) if iri else "",
                    f"{kind}: {text}") for kind, iri, text in violations]


# ---------------------------------------------------------------- all together

QUALITY_RULES: tuple[Callable[[OntologySet], list[Problem]], ...] = (
    missing_label, missing_definition, duplicate_label, duplicate_notation, missing_is_defined_by,
    missing_ontology_metadata,
)


def check_ontology(extra: list[Path] | None = None, *, core: Path | None = None,
                   extensions: list[Path] | None = None, fixture: Path | None = None,
                   scan: list[Path] | None = None, reason: bool = True) -> list[Problem]:
    """Run every check on core + extensions (+ `extra` Turtle files) and return the problems (none = passed).

    `core`, `extensions`, `fixture` and `scan` (files searched for undeclared terms; default: the repository's
    Turtle and SPARQL files) replace the packaged defaults, so tests can check modified copies.
    """
    loaded = load_ontology_set(core, extensions, extra)
    problems: list[Problem] = []
    for rule in QUALITY_RULES:
        problems += rule(loaded)
    problems += undeclared_terms(loaded.declared(), repository_files() if scan is None else scan)
    if reason:
        problems += dl_profile(loaded)
        problems += reasoning_problems(loaded, fixture or fixture_path())
    return problems
