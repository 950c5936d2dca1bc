"""The saved-query catalog: every queries/*.rq file, its header parsed strictly, its parameters typed.

A query file is its own registry (grlc's habit): the `#+` header lines at the top hold all of its metadata,
the file stem is its name and URL. The grammar is in queries/README.md. A malformed header, a parameter the
query does not use, a bad example or a query that does not parse raises QueryFileError naming file:line, so a
broken catalog stops the server at start-up instead of serving empty metadata.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path

from pyoxigraph import NamedNode, Variable

from foedus.errors import QueryFileError, location
from foedus.queries.inline import inline_values
from foedus.queries.params import IRI, REGISTRY, Param, ParamError, Term
from foedus.sparql.syntax import parse_check
from foedus.sparql.traps import not_exists_trap
from foedus.vocab import PREFIXES

RESERVED = ("format",)  # request parameters with a meaning of their own (format negotiation)
RESERVED_NAMES = ("list", "openapi")  # `foedus query list`, /api/openapi.json
KEYS = ("title", "description", "tags", "param")
COMMON = frozenset({"doc", "example", "default"})
FLAGS = frozenset({"optional"})

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_PARAM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_TOKEN = re.compile(r"""\#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|[?$]\w+""")
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)



@dataclass(frozen=True)
class SavedQuery:
    """One saved query: its name (file stem), metadata from the header, parameters, SPARQL text and form."""

    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    form: str
    path: str

    def param(self, name: str) -> Param:
        """The declared parameter of that name (KeyError if none)."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def bind(self, given: Mapping[str, str]) -> dict[Variable, Term]:
        """Typed substitutions for a request: values parsed, defaults filled, unknown names refused."""
        known = {p.name for p in self.params}
        for name in given:
            if name not in known:
                raise ParamError(name, "is not a parameter of this query; it takes "
                                 + (", ".join(sorted(known)) or "no parameters"))
        subs: dict[Variable, Term] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise ParamError(p.name, f"is required ({p.type}; e.g. {p.name}={p.example})")
                continue
            subs[p.variable] = p.parse(raw)
        return subs

    def example_args(self) -> dict[str, str]:
        """The example value of every parameter: the call the header documents and the tests run."""
        return {p.name: p.example for p in self.params}


@dataclass
class Catalog:
    """All saved queries by name, in name order."""

    queries: dict[str, SavedQuery] = field(default_factory=dict)

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> SavedQuery | None:
        """The query of that name, or None."""
        return self.queries.get(name)


def _fail(message: str, path: str, line: int, column: int | None = None) -> QueryFileError:
    return QueryFileError(message, where=location(path, line, column),
                          hint="the header grammar is in queries/README.md")


def _parse_param(spec: str, path: str, line: int) -> Param:
    """Parse `?name TYPE key=value ... [optional]` into a Param, strictly."""
    try:
        tokens = shlex.split(spec, posix=True)
    except ValueError as exc:
        raise _fail(f"param: cannot split the line into words ({exc})", path, line) from None
    if len(tokens) < 2:
        raise _fail("param: expected `?name TYPE key=value ...`", path, line)
    var, ptype, *rest = tokens
    if not var.startswith("?") or not _PARAM_NAME.match(var[1:]):
        raise _fail(f"param: {var!r} is not a SPARQL variable like ?alliance", path, line)
    name = var[1:]
    if name in RESERVED:
        raise _fail(f"param: ?{name} is reserved (a request's {name}= picks the result format)", path, line)
    if ptype not in REGISTRY:
        raise _fail(f"param ?{name}: unknown type {ptype!r}; types: {', '.join(REGISTRY)}", path, line)
    options = REGISTRY[ptype].options
    opts: dict[str, str] = {}
    optional = False
    for token in rest:
        key, eq, value = token.partition("=")
        if not eq:
            if key in FLAGS:
                optional = True
                continue
            raise _fail(f"param ?{name}: {token!r} is neither key=value nor a flag ({', '.join(FLAGS)})",
                        path, line)
        if key not in COMMON | options:
            allowed = ", ".join(sorted(COMMON | options | FLAGS))
            raise _fail(f"param ?{name}: option {key!r} does not apply to type {ptype}; allowed: {allowed}",
                        path, line)
        if key in opts:
            raise _fail(f"param ?{name}: option {key!r} given twice", path, line)
        if not value:
            raise _fail(f"param ?{name}: option {key!r} has an empty value", path, line)
        opts[key] = value
    for needed in ("doc", "example"):
        if needed not in opts:
            raise _fail(f"param ?{name}: missing {needed}=", path, line)
    if optional and "default" in opts:
        raise _fail(f"param ?{name}: `optional` and default= exclude each other", path, line)
    kwargs: dict[str, object] = {}
    try:
        if "min" in opts:
            kwargs["minimum"] = int(opts["min"])
        if "max" in opts:
            kwargs["maximum"] = int(opts["max"])
        if "max-length" in opts:
            kwargs["max_length"] = int(opts["max-length"])
    except ValueError:
        raise _fail(f"param ?{name}: min, max and max-length take integers", path, line) from None
    if "pattern" in opts:
        try:
            re.compile(opts["pattern"])
        except re.error as exc:
            raise _fail(f"param ?{name}: pattern is not a regular expression ({exc})", path, line) from None
        kwargs["pattern"] = opts["pattern"]
    if ptype == "enum":
        if "values" not in opts:
            raise _fail(f"param ?{name}: an enum needs values=a|b|c", path, line)
        values = tuple(opts["values"].split("|"))
        if any(not v for v in values) or len(set(values)) != len(values):
            raise _fail(f"param ?{name}: values= must be distinct and non-empty, separated by |", path, line)
        kwargs["values"] = values
    if "lang" in opts:
        if not _LANG.match(opts["lang"]):
            raise _fail(f"param ?{name}: lang={opts['lang']!r} is not a language tag", path, line)
        kwargs["lang"] = opts["lang"].lower()
    if "class" in opts:
        cls_prefix, colon, cls_rest = opts["class"].partition(":")
        cls = PREFIXES[cls_prefix] + cls_rest if colon and cls_prefix in PREFIXES else opts["class"]
        if not IRI.match(cls):
            raise _fail(f"param ?{name}: class={opts['class']!r} is neither a known prefixed name nor an IRI",
                        path, line)
        kwargs["cls"] = cls
    param = Param(name=name, type=ptype, doc=opts["doc"], example=opts["example"],
                  default=opts.get("default"), optional=optional, line=line, **kwargs)
    for key in ("example", "default"):
        if key in opts:
            try:
                param.parse(opts[key])
            except ParamError as exc:
                raise _fail(f"param ?{name}: {key}= {exc.message}", path, line) from None
    return param


def _header(text: str, path: str) -> tuple[dict[str, object], int]:
    """Read the `#+` header block; return its fields and the number of header lines."""
    fields: dict[str, object] = {}
    params: list[Param] = []
    description: list[str] = []
    lines = text.splitlines()
    end = 0
    for n, line in enumerate(lines, start=1):
        if not line.startswith("#+"):
            end = n - 1
            break
        end = n
        body = line[2:]
        if not body.startswith(" "):
            raise _fail("header lines are `#+ key: value` (a space after #+)", path, n, 3)
        key, colon, value = body[1:].partition(":")
        if not colon or key != key.strip() or not key:
            raise _fail(f"expected `#+ key: value`, got {line!r}", path, n, 4)
        if key not in KEYS:
            raise _fail(f"unknown header key {key!r}; keys: {', '.join(KEYS)}", path, n, 4)
        value = value.strip()
        if not value:
            raise _fail(f"{key}: empty value", path, n)
        if key == "param":
            param = _parse_param(value, path, n)
            if any(p.name == param.name for p in params):
                raise _fail(f"param ?{param.name} declared twice", path, n)
            params.append(param)
        elif key == "description":
            description.append(value)
        elif key in fields:
            raise _fail(f"{key}: given twice (only description may span several lines)", path, n)
        elif key == "tags":
            if not (value.startswith("[") and value.endswith("]")):
                raise _fail("tags: expected a list like [alliances, membership]", path, n)
            tags = [t.strip() for t in value[1:-1].split(",")]
            bad = [t for t in tags if not _TAG.match(t)]
            if bad or not tags:
                raise _fail(f"tags: {bad or tags!r} are not lowercase words joined by '-'", path, n)
            fields["tags"] = tuple(tags)
        else:
            fields[key] = value
    for n, line in enumerate(lines[end:], start=end + 1):
        if line.startswith("#+"):
            raise _fail("header line after the query began; the header is the block of #+ lines at the top",
                        path, n)
    for key in ("title", "tags"):
        if key not in fields:
            raise _fail(f"the header has no {key}: line", path, max(end, 1))
    if not description:
        raise _fail("the header has no description: line", path, max(end, 1))
    fields["description"] = " ".join(description)
    fields["params"] = tuple(params)
    return fields, end


def _mentions(body: str) -> tuple[set[str], str]:
    """Variables the query's patterns use (after the first `{`; not in comments, strings, IRIs), bare text.

    A variable named only in the SELECT clause does not count: a parameter must constrain the query.
    """
    variables: set[str] = set()
    kept: list[str] = []
    last = 0
    for m in _TOKEN.finditer(body):
        token = m.group()
        if token[0] in "?$":
            if "{" in "".join(kept) + body[last:m.start()]:
                variables.add(token[1:])
            continue
        kept.append(body[last:m.start()])
        kept.append(" ")
        last = m.end()
    kept.append(body[last:])
    return variables, "".join(kept)


def parse_query_file(name: str, text: str, path: str) -> SavedQuery:
    """Parse and check one saved query: header, parameters' use, syntax with the examples bound."""
    if not _NAME.match(name):
        raise _fail(f"the file name {name!r} is not a URL slug (lowercase words joined by '-')", path, 1)
    if name in RESERVED_NAMES:
        raise _fail(f"the name {name!r} is reserved ({', '.join(RESERVED_NAMES)})", path, 1)
    fields, end = _header(text, path)
    body = "\n".join(text.splitlines()[end:])
    used, bare = _mentions(body)
    params: tuple[Param, ...] = fields["params"]  # type: ignore[assignment]
    for p in params:
        if p.name not in used:
            raise _fail(f"param ?{p.name} is declared but the query does not use ?{p.name}", path, p.line)
    for p in params:
        trap = re.search(rf"BOUND\s*\(\s*[?$]{p.name}\s*\)|BIND\s*\(\s*[?$]{p.name}\s+AS\b", bare,
                         re.IGNORECASE)
        if trap:
            line = end + body[:body.find(trap.group())].count("\n") + 1 if trap.group() in body else p.line
            raise _fail(f"BOUND(?{p.name}) and BIND(?{p.name} AS ...) do not see a bound parameter "
                        "(pyoxigraph treats it as never bound); test an optional one with "
                        f"!COALESCE(ISIRI(?{p.name}), false) or ISLITERAL, and use it inside an expression",
                        path, line)
    form_match = _FORM.search(bare)
    if form_match is None:
        raise _fail("no SELECT, CONSTRUCT, DESCRIBE or ASK after the header", path, end + 1)
    form = form_match.group(1).upper()
    saved = SavedQuery(name=name, title=str(fields["title"]), description=str(fields["description"]),
                       tags=fields["tags"], params=params, text=text, form=form, path=path)  # type: ignore[arg-type]
    try:
        parse_check(text, saved.bind(saved.example_args()))
    except SyntaxError as exc:
        raise _fail(f"the query does not parse: {exc}", path, end + 1) from None
    except RuntimeError as exc:
        # pyoxigraph binds a parameter only where the query's projection has it in scope (SEP-0007).
        line = next((p.line for p in params if f"?{p.name} " in f"{exc} "), end + 1)
        raise _fail(f"the query cannot take its parameters: {exc}; list each parameter in SELECT "
                    "(or GROUP BY it) so it can be bound", path, line) from None
    slow = not_exists_trap(text)
    if slow is not None:
        raise _fail(slow[1], path, slow[0])
    return saved


def _entries(root: Traversable | Path) -> list[tuple[str, Traversable | Path]]:
    return sorted((entry.name[:-3], entry) for entry in root.iterdir()
                  if entry.name.endswith(".rq") and entry.is_file())


def load_catalog(root: Traversable | Path | None = None) -> Catalog:
    """Load and check every .rq file of the package (or of `root`); raise QueryFileError at file:line."""
    root = root if root is not None else files("foedus.queries")
    catalog = Catalog()
    for name, entry in _entries(root):
        try:
            text = entry.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise QueryFileError(f"not UTF-8 (byte {exc.start})", where=str(entry)) from None
        catalog.queries[name] = parse_query_file(name, text, str(entry))
    return catalog


@functools.cache
def subclasses(cls: str) -> frozenset[str]:
    """`cls` and every class the packaged ontology (core and extensions) puts below it, transitively."""
    from rdflib import RDFS, Graph, URIRef

    from foedus.ontology.codegen import core_path
    from foedus.ontology.extensions import list_extensions

    g = Graph()
    for path in [core_path(), *(e.ontology for e in list_extensions())]:
        g.parse(path, format="turtle")
    found, todo = {cls}, [URIRef(cls)]
    while todo:
        for sub in g.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and str(sub) not in found:
                found.add(str(sub))
                todo.append(sub)
    return frozenset(found)


@functools.cache
def _instance_text() -> str:
    """queries/checks/instance-of.rq, read once."""
    return (files("foedus.queries") / "checks" / "instance-of.rq").read_text(encoding="utf-8")


def instance_check(value: NamedNode, cls: str) -> tuple[str, dict[Variable, Term]]:
    """The class check as an ASK and its substitutions: is `value` typed `cls` or one of its subclasses (from our
    ontology)? `value` is substituted; the classes are bound as a VALUES list by inline_values."""
    classes = tuple(NamedNode(c) for c in sorted(subclasses(cls)))
    return inline_values(_instance_text(), {Variable("type"): classes}), {Variable("value"): value}
