"""The SPARQL 1.1 Service Description of /sparql: what it speaks, what it returns, which graphs it holds.

sd:endpoint is public_base_url + "sparql" when the operator set it (behind a proxy the request's Host is
wrong), else the URL the request came in on.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple, serialize

from foedus.server.context import state
from foedus.server.http import conditional
from foedus.sparql.formats import RDF_FORMATS, RESULT_FORMATS, negotiate

bp = Blueprint("service_description", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID_TRIPLES = NamedNode("http://rdfs.org/ns/void#triples")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
PREFIXES = {
    "sd": SD,
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
    "ent": "http://www.w3.org/ns/entailment/",
}


def endpoint_url() -> str:
    """The public IRI of the query endpoint (public_base_url + sparql, else this request's root + sparql).

    It is also the base IRI of every query sent to it, so `<s>` in a query means `<…/s>` next to the endpoint.
    """
    public = state().settings.public_base_url
    if public:
        return str(public).rstrip("/") + "/sparql"
    return f"{request.scheme}://{request.host}{request.script_root}/sparql"  # cheaper than url_root, same IRI


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def service_triples(endpoint: str) -> list[Triple]:
    """The description as triples: language, result formats, features, the dataset and its named graphs."""
    st = state()
    service = NamedNode(endpoint + "#service")
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), NamedNode(endpoint)),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
    ]
    if str(st.settings.service_allowlist or "").split():
        triples.append(Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for fmt in (*RESULT_FORMATS, *RDF_FORMATS):
        triples.append(Triple(service, _sd("resultFormat"), NamedNode(fmt.iri)))
    dataset, default = BlankNode("dataset"), BlankNode("defaultGraph")
    triples += [
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default),
        Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    info = st.info
    if info is not None:
        total = info.default_graph_triples
        triples.append(Triple(default, VOID_TRIPLES, Literal(str(total), datatype=XSD_INTEGER)))
        for n, (name, count) in enumerate(info.graphs.items()):
            named, graph = BlankNode(f"named{n}"), BlankNode(f"graph{n}")
            triples += [
                Triple(dataset, _sd("namedGraph"), named),
                Triple(named, RDF_TYPE, _sd("NamedGraph")),
                Triple(named, _sd("name"), NamedNode(name)),
                Triple(named, _sd("graph"), graph),
                Triple(graph, RDF_TYPE, _sd("Graph")),
                Triple(graph, VOID_TRIPLES, Literal(str(count), datatype=XSD_INTEGER)),
            ]
    return triples


def describe() -> Response:
    """The service description in the RDF format the client accepts (Turtle unless it asks otherwise)."""
    fmt = negotiate(
        RDF_FORMATS, request.headers.get("Accept"), request.args.get("format"), "the service description"
    )

    def body() -> Response:
        assert fmt.rdf is not None
        triples = service_triples(endpoint_url())
        data = triples if not fmt.rdf.supports_datasets else [Quad(t.subject, t.predicate, t.object) for t in triples]
        kwargs = {"prefixes": PREFIXES} if fmt.key in ("turtle", "trig") else {}
        return Response(serialize(data, format=fmt.rdf, **kwargs), 200, content_type=fmt.content_type)  # type: ignore[arg-type]

    return conditional("sd-" + fmt.key, body)


@bp.route("/sparql/service-description", methods=["GET"])
def service_description() -> Response:
    """The service description at its own address too, for clients that do not GET the endpoint bare."""
    return describe()
