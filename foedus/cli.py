"""The `foedus` command line: one thin verb per job, each calling a plain function of the package."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from foedus import __version__
from foedus.errors import FoedusError
from foedus.settings import SETTINGS, Settings, load_settings


def _settings(**overrides: object) -> Settings:
    return load_settings({k: v for k, v in overrides.items() if v is not None})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="foedus")
def cli() -> None:
    """Foedus: build, validate and serve the knowledge graph of military alliances.

    Settings come from defaults, ./foedus.toml (or FOEDUS_CONFIG), FOEDUS_* environment variables and options;
    `foedus settings` lists them.
    """


@cli.command("settings")
def settings_cmd() -> None:
    """List every setting with its current value and what it is for."""
    current = load_settings()
    for s in SETTINGS:
        click.echo(f"{s.name} = {getattr(current, s.name)!r}\n    FOEDUS_{s.name.upper()}: {s.help}")


@cli.command()
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
              help="Directory of the public data sets (FOEDUS_SOURCES). Unset: curated core only.")
@click.option("--releases", type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the release into (FOEDUS_RELEASES).")
@click.option("--quiet", is_flag=True, help="No progress lines, only the summary.")
def build(sources: Path | None, releases: Path | None, quiet: bool) -> None:
    """Build a versioned release: curated core + public data sets + ontology, validated, serialised.

    A failed or interrupted build leaves the previous release untouched.
    """
    from foedus.graph.build import build_release

    path = build_release(_settings(sources=sources, releases=releases), progress=not quiet)
    click.echo(_build_summary(path))


def _build_summary(release: Path) -> str:
    """The end-of-build summary: triples by graph, entities by class, disagreements; details in build-report.md."""
    from foedus.graph import layout

    report = json.loads((release / layout.REPORT_JSON).read_text(encoding="utf-8"))
    lines = [f"release {report['version']} written to {release}", "triples by graph:"]
    lines += [f"  {n:>9,}  {g}" for g, n in sorted(report["graphs"].items(), key=lambda kv: -kv[1])]
    lines.append("entities by class:")
    entities = sorted(report["entities"].items(), key=lambda kv: -kv[1])
    lines += [f"  {n:>9,}  {c}" for c, n in entities]
    links = ", ".join(f"{k} {v['linked']}/{v['total']}" for k, v in report["wikidata"].items())
    lines.append(f"Wikidata links of the curated core: {links}")
    if report.get("source_strength"):
        from foedus.graph.report import strength_lines

        lines += strength_lines(report["source_strength"])
    found = report["disagreements"]
    lines.append(f"disagreements between sources: {found['curated']} recorded in the curated core, "
                 f"{len(found['reconciliation'])} found between curated and ATOP dates; "
                 f"warnings: {len(report['warnings'])} (see {release / 'build-report.md'})")
    return "\n".join(lines)


@cli.group()
def sources() -> None:
    """Manage the public data sets the build reads."""


@sources.command("fetch")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
              help="Directory to download into (FOEDUS_SOURCES).")
@click.option("--only", multiple=True, help="Fetch only this source (by name); repeatable.")
@click.option("--from-url", "from_url", metavar="URL",
              help="Download from this mirror (files by name) instead of the official addresses (FOEDUS_SOURCES_URL).")
def sources_fetch(sources: Path | None, only: tuple[str, ...], from_url: str | None) -> None:
    """Download the official files of each declared source and verify their SHA-256 checksums."""
    from foedus.graph.fetch import fetch_sources

    fetch_sources(_settings(sources=sources, sources_url=from_url), only=list(only) or None)


@sources.command("list")
def sources_list() -> None:
    """List the declared sources: name, version, files, licence, and whether they are present."""
    from foedus.graph.manifest import describe_sources

    click.echo(describe_sources(_settings()))


@cli.group()
def curated() -> None:
    """Tools for maintainers of the curated core (graph/curated/)."""


@curated.command("wikidata-suggest")
@click.option("--endpoint", default="https://query.wikidata.org/sparql", show_default=True,
              help="Wikidata SPARQL endpoint to ask (an outbound call, made only by this command).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("wikidata-suggestions.tsv"),
              show_default=True, help="Review table to write (TSV).")
def curated_wikidata_suggest(endpoint: str, out: Path) -> None:
    """Find candidate Wikidata items for curated things without one, by exact English label or alias.

    Writes a review table (year-matching candidates first); nothing is added to the curated core. Confirm a
    candidate on Wikidata, then write `wikidata:` with its evidence into the YAML file (graph/curated/FORMAT.md).
    """
    from importlib.resources import files

    from foedus.graph.curated import load_curated
    from foedus.graph.wikidata import suggest, unlinked_things, write_review

    things = unlinked_things(load_curated(Path(str(files("foedus.graph"))) / "curated").graph)
    candidates = suggest(things, endpoint)
    write_review(candidates, out)
    with_candidates = {c.thing.iri for c in candidates}
    dated = {c.thing.iri for c in candidates if c.year_matches}
    click.echo(f"{len(things)} curated things without a Wikidata item; {len(with_candidates)} have candidates, "
               f"{len(dated)} with a matching year; review table: {out}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              help="Report format: text for people, turtle or json for machines.")
def validate(files: tuple[Path, ...], fmt: str) -> None:
    """Validate RDF files against the Foedus ontology and shapes; exit status 1 on violations."""
    from foedus.shapes.validate import validate_files

    report = validate_files(list(files))
    click.echo(report.render(fmt))
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", help="Address to listen on (FOEDUS_HOST, default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (FOEDUS_PORT, default 8000).")
@click.option("--workers", type=int, help="Worker processes (FOEDUS_WORKERS).")
@click.option("--releases", type=click.Path(file_okay=False, path_type=Path),
              help="Directory of releases; serves its `latest` (FOEDUS_RELEASES).")
def serve(files: tuple[Path, ...], host: str | None, port: int | None, workers: int | None,
          releases: Path | None) -> None:
    """Serve the latest release (or the given RDF files) over the SPARQL 1.1 Protocol, with gunicorn."""
    from foedus.server.run import serve as run_serve

    run_serve(_settings(host=host, port=port, workers=workers, releases=releases), list(files))


@cli.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output: an aligned table for people, CSV or SPARQL JSON results for programs.")
@click.option("--list", "list_only", is_flag=True, help="List the saved queries and their parameters.")
def query(name: str, params: tuple[str, ...], fmt: str, list_only: bool) -> None:
    """Run a saved query (queries/NAME.rq) against the latest release; `foedus query list` lists them."""
    click.echo(run_saved_query_cli(_settings(), name, list(params), fmt, list_only=list_only or name == "list"))


def run_saved_query_cli(settings: Settings, name: str, params: list[str], fmt: str, list_only: bool = False) -> str:
    """What `foedus query NAME --param k=v --format F` prints: the saved query's result on releases/latest.

    It runs as /api runs it: through the embedded backend (killable helper, query_timeout, max_result_rows).
    """
    from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results

    from foedus.queries.catalog import instance_check, load_catalog
    from foedus.queries.run import check_classes, describe_catalog, find, parse_params, render
    from foedus.server.backend import Limits, Query
    from foedus.server.embedded import EmbeddedBackend
    from foedus.server.store import load_release_store
    from foedus.sparql.formats import formats_for

    catalog = load_catalog()
    if list_only:
        return describe_catalog(catalog)
    saved = find(catalog, name)
    given = parse_params(params)
    subs = saved.bind(given)  # refuse bad values before paying for the store load
    backend = EmbeddedBackend(*load_release_store(Path(settings.releases) / "latest"))
    limits = Limits(float(settings.query_timeout), int(settings.max_result_rows))

    def is_a(value: NamedNode, cls: str) -> bool:
        text, bound = instance_check(value, cls)
        return backend.ask(Query(text, "ASK", substitutions=bound), limits)

    check_classes(is_a, saved, subs)
    wire = next(f for f in formats_for(saved.form) if f.key in ("json", "ntriples"))
    body = backend.answer(Query(saved.text, saved.form, substitutions=subs), wire, limits).body
    if wire.key == "json":
        return render(parse_query_results(body, format=QueryResultsFormat.JSON), fmt)
    return render([q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)], fmt)


@cli.command()
@click.option("--release", type=click.Path(file_okay=False, path_type=Path),
              help="Release directory to publish (default: the latest).")
def publish(release: Path | None) -> None:
    """Load a release into a remote SPARQL 1.1 store (Graph Store Protocol or SPARQL Update)."""
    from foedus.server.remote import publish_release

    click.echo(publish_release(_settings(), release))


@cli.group()
def ontology() -> None:
    """Check and document the Foedus ontology (ontology/foedus.ttl and its extensions)."""


@ontology.command("check")
def ontology_check() -> None:
    """Reason with HermiT (consistency, unsatisfiable classes, fixture classification) and run quality rules."""
    from foedus.ontology.check import check_ontology

    problems = check_ontology()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo("ontology check passed")


@ontology.command("docs")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/ontology-docs"),
              show_default=True, help="Directory to write the HTML documentation into.")
def ontology_docs(out: Path) -> None:
    """Generate HTML documentation of the ontology with pyLODE."""
    from foedus.ontology.docs import build_docs

    click.echo(f"ontology documentation written to {build_docs(out)}")


def main() -> None:
    """Entry point: run the CLI, turning Foedus errors into one line on stderr and a non-zero exit status."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FoedusError as exc:
        click.echo(f"foedus: error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
