"""The shape of server/ and queries/, read from their source: one seam to the data, no import cycles.

Every import counts, a deferred one inside a function too (it is a dependency all the same, only hidden).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "foedus.server": ROOT / "server",
    "foedus.queries": ROOT / "queries",
    "foedus.sparql": ROOT / "foedus" / "sparql",
}
# The backend: the only modules that hold a pyoxigraph Store, talk to the remote store, or keep SPARQL text.
BACKEND = {"foedus.server." + m for m in ("backend", "embedded", "helper", "remote", "store")}
SPARQL_TEXT = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|WHERE|VALUES)\b[^\n]*\{")


def modules() -> dict[str, ast.Module]:
    """Every module of the three packages, parsed, by dotted name."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imports(tree: ast.Module) -> set[str]:
    """The dotted names a module imports, anywhere in it (`from a import b` gives a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def graph() -> dict[str, set[str]]:
    """Module -> the modules of the three packages it imports."""
    mods = modules()
    return {name: {i for i in imports(tree) if i in mods and i != name} for name, tree in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path of module names, or [] when there is none (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_in_server_queries_and_sparql() -> None:
    edges = graph()
    assert "foedus.server.context" in edges["foedus.server.http"]  # the graph really is read
    assert find_cycle(edges) == []


def test_queries_and_sparql_never_import_the_server() -> None:
    for name, deps in graph().items():
        if not name.startswith("foedus.server"):
            assert not {d for d in deps if d.startswith("foedus.server")}, name


def test_no_blueprint_imports_the_factory() -> None:
    importers = {name for name, deps in graph().items() if "foedus.server.app" in deps}
    assert importers <= {"foedus.server.run"}


def test_only_the_backend_touches_a_store_or_the_remote_client() -> None:
    for name, tree in modules().items():
        if not name.startswith("foedus.server") or name in BACKEND:
            continue
        found = imports(tree)
        assert not {"urllib.request", "http.client", "requests"} & found, name
        if "pyoxigraph.Store" in found:
            # The factory only hands a store it was given to the embedded backend (tests and `foedus serve FILE`).
            assert name == "foedus.server.app", f"{name} imports pyoxigraph.Store"


def sparql_texts(tree: ast.Module) -> list[tuple[int, str]]:
    """String literals and f-strings (values as placeholders) that read as SPARQL, skipped left out."""
    # Docstrings and the pieces of f-strings (judged whole below) are not judged on their own.
    skipped = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    skipped |= {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "?x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            text = node.value
        else:
            continue
        if SPARQL_TEXT.search(text):
            found.append((node.lineno, text[:80]))
    return found


def test_the_sparql_text_check_sees_strings_and_fstrings() -> None:
    tree = ast.parse('"""SELECT { docstring }"""\nq = f"SELECT ?s WHERE {{ ?s ?p {value} }}"\nr = "ASK { ?s ?p ?o }"')
    assert [line for line, _ in sparql_texts(tree)] == [2, 3]


def test_no_sparql_text_outside_the_backend() -> None:
    for name, tree in modules().items():
        if name.startswith("foedus.server") and name not in BACKEND:
            assert sparql_texts(tree) == [], name
