"""OWL 2 DL profile check with the OWL API inside owlready2's HermiT.jar: the ontology must stay OWL 2 DL.

HermiT reasons over what it is given but does not say whether that is OWL 2 DL (a property chain on
fo:hasParty would silently break its cardinality restrictions). The OWL API's OWL2DLProfile does; we run
it through Java's single-file source launcher (Java 11+), so nothing is compiled or downloaded.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from rdflib import Graph

from foedus.errors import OntologyError
from foedus.ontology.check import without_imports

JAVA_SOURCE = """\
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class FoedusDLProfile {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
    OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
    for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
      System.out.println(v.getClass().getSimpleName() + "\\t" + v.toString().replace('\\n', ' '));
    }
  }
}
"""

_FIRST_IRI = re.compile(r"<(https?://[^>]+)>")


def hermit_jar() -> Path:
    """The HermiT jar that owlready2 ships (it bundles the OWL API)."""
    import owlready2

    return Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


def dl_profile_violations(graph: Graph, workdir: Path) -> list[tuple[str, str, str]]:
    """(violation kind, first IRI named, text) for every OWL 2 DL violation in `graph` (imports removed)."""
    import owlready2

    source = workdir / "profile.nt"
    without_imports(graph).serialize(destination=source, format="nt", encoding="utf-8")
    program = workdir / "FoedusDLProfile.java"
    program.write_text(JAVA_SOURCE, encoding="utf-8")
    command = [owlready2.JAVA_EXE, "-cp", str(hermit_jar()), str(program), str(source)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OntologyError(f"cannot run the OWL 2 DL profile check: {exc}", where="java",
                            hint="the profile check needs a Java 11+ JDK (java -version)") from exc
    if run.returncode != 0:
        raise OntologyError(f"the OWL 2 DL profile check failed: {run.stderr.strip()[-2000:]}", where="java")
    found = []
    for line in sorted(set(run.stdout.splitlines())):
        kind, _, text = line.partition("\t")
        iri = _FIRST_IRI.search(text)
        found.append((kind, iri.group(1) if iri else "", text))
    return found
