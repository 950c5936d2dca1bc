"""Render bench/results/*.json as the Markdown tables of bench/results/RESULTS.md (and, copied, bench/RESULTS.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.measure import RESULTS_DIR


def _load(results: Path, name: str) -> dict[str, Any] | None:
    path = results / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _ms(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def machine_md(m: dict[str, Any]) -> list[str]:
    """The machine paragraph: what the numbers were measured on."""
    v = m.get("versions", {})
    return [
        f"Measured {m.get('date', '?')} on {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_gib', '?')} GiB RAM, {m.get('os', '?')} (kernel {m.get('kernel', '?')}), "
        f"Python {m.get('python', '?')}; load average at start {m.get('load_average_at_start', '?')}.",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
    ]


def build_md(b: dict[str, Any]) -> list[str]:
    """Build phases: seconds and peak RSS each."""
    lines = ["## Build (`foedus build`, full release from the public data sets)", ""]
    if "triples" in b:
        lines += [f"Release {b.get('version')}: {b['triples']:,} triples; whole build {b['build_seconds']} s, "
                  f"peak RSS {b['build_peak_rss_mib']} MiB.", ""]
    if "error" in b:
        lines += [f"**{b['error']}** (phases up to that point are measured).", ""]
    lines += ["| phase | seconds | peak RSS (MiB) |", "|---|---:|---:|"]
    lines += [f"| {p['phase']} | {p['seconds']:.2f} | {p['peak_rss_mib']:.0f} |" for p in b.get("phases", [])]
    return lines + [""]


def shacl_md(s: dict[str, Any]) -> list[str]:
    """SHACL alone, as bench/shacl_bench.py reports it (pySHACL over oxigraph vs Jena shacl)."""
    lines = ["## SHACL alone (bench/shacl_bench.py: pySHACL over oxigraph vs Jena `shacl`)", ""]
    if "error" in s:
        return lines + [f"Not measured: {s['error']}", ""]
    lines += ["| validator | seconds | violations | warnings |", "|---|---:|---:|---:|"]
    for key in ("pyshacl_oxigraph", "jena_shacl"):
        v = s.get(key, {})
        if isinstance(v, dict):
            lines.append(f"| {key} | {v.get('total_s', '–')} | {v.get('violations', '–')} | {v.get('warnings', '–')} |")
    return lines + [""]


def engine_md(e: dict[str, Any]) -> list[str]:
    """Engine comparison: load and median time per query, with the equality verdict."""
    lines = ["## Query engine (same process, same data: pyoxigraph vs rdflib in-memory)", ""]
    lines += [f"{e['quads']:,} quads. Loads: " + "; ".join(
        f"{x['engine']} {x['load_s']} s, +{x['rss_growth_mib']} MiB resident" for x in e["loads"]) + ".", ""]
    b = e["budget"]
    lines += [f"Warm medians (first run excluded); pyoxigraph up to {b['ox_runs']} runs / {b['ox_seconds']} s, "
              f"rdflib up to {b['rdflib_runs']} runs / {b['rdflib_seconds']} s, each query stopped after "
              f"{b['deadline']} s. Answers compared before timing.", ""]
    lines += ["| query | kind | rows | pyoxigraph median ms | rdflib median ms | speed-up | answers |",
              "|---|---|---:|---:|---:|---:|---|"]
    for q in e["queries"]:
        ox_ms = q.get("oxigraph", {}).get("timing", {}).get("median_ms")
        rd_ms = q.get("rdflib", {}).get("timing", {}).get("median_ms")
        speed = "–"
        if ox_ms and rd_ms:
            ratio = rd_ms / ox_ms
            speed = f"{ratio:.0f}×" if ratio >= 2 else f"{ratio:.2f}×"
        rd_cell = _ms(rd_ms)
        if rd_ms is None and ox_ms and q.get("status") == "rdflib-timeout":
            left = b["deadline"] - ox_ms / 1000 * (1 + q["oxigraph"]["timing"]["n"])
            rd_cell, speed = f"> {max(left, 0):.0f} s", f"> {max(left, 0) * 1000 / ox_ms:.0f}×"
        rows = q.get("oxigraph", {}).get("rows", "–")
        lines.append(f"| {q['name']} | {q['kind']} | {rows} | {_ms(ox_ms)} | {rd_cell} | {speed} | "
                     f"{q.get('status')} |")
    return lines + [""]


def _cell(c: dict[str, Any] | None, key: str, expected: Any) -> str:
    """One server's figure for one query: the median, or why there is none; marked when its count differs."""
    if c is None:
        return "–"
    p = c.get("probe", {})
    if p.get("status") != 200:
        return f"HTTP {p.get('status')}" if p.get("status") else "no answer"
    if not c.get("rounds"):
        text = f"1 req {p.get('ms', 0) / 1000:.1f} s"
    else:
        value = c.get(key)
        text = "–" if value is None else (f"{value:.0f}" if value >= 10 else f"{value:.2f}")
        errors = sum(sum(r.get("errors", {}).values()) for r in c["rounds"])
        text += f" ({errors} err)" if errors else ""
        failed = [r["error"] for r in c["rounds"] if "error" in r]
        text += f" ({len(failed)} runs failed: {failed[-1][:60]})" if failed else ""
    return text if p.get("same_count") else f"{text} [{p.get('results')} ≠ {expected}]"


def _ratio_md(r: dict[str, float] | None) -> str:
    return "–" if not r else f"{r['median']:.2f}× ({r['min']:.2f}–{r['max']:.2f})"


def http_md(h: dict[str, Any]) -> list[str]:
    """The interleaved HTTP bench: memory per server, then req/s and p50 per query and server, with ratios."""
    lines = ["## HTTP (loopback, servers interleaved round by round)", ""]
    if "error" in h:
        return lines + [f"Not measured: {h['error']}", ""]
    b = h["budget"]
    lines += [f"{h['quads']:,} quads. {b['rounds']} rounds; in each, every query runs on every server in turn "
              f"(order rotating) for {b['seconds']} s with {b['connections']} keep-alive connections "
              f"({h['driver']}), each server left to go idle before the next. Figures are medians over rounds; "
              "ratios are ours / theirs in req/s, paired per round (median, min–max). [n ≠ m]: the server "
              "answered n results where ours gives m. \"1 req\": a single request outlasted a run, so it was "
              "not driven.", ""]
    lines += ["Memory after loading, idle: PSS counts pages the workers share copy-on-write once (the real "
              "footprint); RSS sums every process, so a preforked server's shared store counts once per process.",
              "", "| server | start-up s | load s | PSS idle MiB | RSS idle MiB (sum) | MiB per M quads, PSS / RSS "
              "| how |", "|---|---:|---:|---:|---:|---:|---|"]
    for s in h["servers"]:
        if "error" in s:
            lines.append(f"| {s['server']} | failed: {s['error'][:120]} | | | | | |")
            continue
        lines.append(f"| {s['server']} | {s['ready_s']} | {s.get('load_s') or '–'} | {s['idle_pss_mib']:.0f} | "
                     f"{s['idle_rss_mib']:.0f} | {s['pss_mib_per_million_quads']:.0f} / "
                     f"{s['idle_rss_mib'] / (h['quads'] / 1e6):.0f} | {'; '.join(s['notes'])} |")
    names = [s["server"] for s in h["servers"] if "error" not in s]
    for title, key in (("req/s (median), ours against the bare app and Oxigraph's server", "rps_median"),
                       ("p50 latency ms (median)", "p50_median_ms")):
        ratios = key == "rps_median"
        lines += ["", f"**{title}**", "",
                  "| query | results | " + " | ".join(names) + (" | ours / bare | ours / oxigraph |" if ratios
                                                                  else " |"),
                  "|---|---:|" + "---:|" * len(names) + ("---:|---:|" if ratios else "")]
        for q in h["queries"]:
            cells = [_cell(q["cells"].get(n), key, q["expected"]) for n in names]
            tail = (f" {_ratio_md(q.get('ours_vs_bare'))} | {_ratio_md(q.get('ours_vs_oxigraph'))} |"
                    if ratios else "")
            lines.append(f"| {q['query']} | {q['expected']:,} | " + " | ".join(cells) + " |" + tail)
    return lines + [""]


def scale_md(s: dict[str, Any]) -> list[str]:
    """Scale: load and query cost on pyoxigraph as the graph is multiplied; rdflib load where feasible."""
    lines = ["## Scale (the real graph multiplied; pyoxigraph in-memory store)", ""]
    factors = s.get("factors", [])
    names: list[str] = []
    for f in factors:
        for q in f.get("oxigraph", {}).get("queries", []):
            if q["name"] not in names:
                names.append(q["name"])
    deadline = next((f["oxigraph"].get("deadline_s") for f in factors if "deadline_s" in f.get("oxigraph", {})), None)
    if deadline:
        lines += [f"Warm medians in ms, each query stopped after {deadline:.0f} s (\"timeout\"). Each factor is "
                  "generated, loaded and queried in a fresh process.", ""]
    head = "| | " + " | ".join(f"x{f['factor']}" for f in factors) + " |"
    lines += [head, "|---|" + "---:|" * len(factors)]

    def row(label: str, get: Any) -> str:
        return f"| {label} | " + " | ".join(str(get(f)) for f in factors) + " |"

    lines.append(row("quads", lambda f: f"{f.get('quads', 0):,}" if "quads" in f else f.get("skipped", "–")))
    lines.append(row("N-Quads MiB / generate s", lambda f: f"{f['bytes'] / 2**20:.0f} / {f['generate_s']}"
                     if "bytes" in f else "–"))
    lines.append(row("pyoxigraph load s", lambda f: f.get("oxigraph", {}).get("load", {}).get("load_s", "–")))
    lines.append(row("pyoxigraph peak RSS MiB",
                     lambda f: f.get("oxigraph", {}).get("load", {}).get("peak_rss_mib", "–")))
    lines.append(row("rdflib load s", lambda f: f.get("rdflib_load", {}).get("load_s",
                                                                               _why(f.get("rdflib_load")))))
    lines.append(row("rdflib peak RSS MiB", lambda f: f.get("rdflib_load", {}).get("peak_rss_mib", "–")))
    for name in names:
        def cell(f: dict[str, Any], name: str = name) -> str:
            for q in f.get("oxigraph", {}).get("queries", []):
                if q["name"] == name:
                    ms = q.get("oxigraph", {}).get("timing", {}).get("median_ms")
                    return _ms(ms) if ms is not None else q.get("status", "–")
            return "–"
        lines.append(row(f"{name} ms", cell))
    return lines + [""]


def load_md(d: dict[str, Any]) -> list[str]:
    """Cheap-query latency per worker model and phase (bench/load_bench.py)."""
    lines = ["## Fairness under load (`python -m bench.load_bench`, loopback)", "",
             "One probe client asks `lookup-by-iri` again and again; its p50/p95 idle, with 64 clients on the mix "
             f"({d.get('mix_queries', '?')} queries, each client from its own 127.0.1.x address), while one client "
             "runs a runaway query (until query_timeout), and with 100 slow-header clients connected.", "",
             "| worker model | phase | probe requests | p50 ms | p95 ms | ×idle p50 | probe failures "
             "| others' answers |",
             "|---|---|---:|---:|---:|---:|---|---|"]
    for model in d.get("models", []):
        idle = model.get("idle", {}).get("p50_ms")
        for phase in ("idle", "mix", "runaway", "slow"):
            f = model.get(phase, {})
            p50 = f.get("p50_ms")
            ratio = f"{p50 / idle:.1f}" if p50 and idle else "–"
            failed = ", ".join(f"{k} {v}" for k, v in f.get("statuses", {}).items() if k != "200") or "–"
            others = ", ".join(f"{k} {v}" for k, v in sorted(f.get("others", {}).items())) or "–"
            lines.append(f"| {model['model']} | {phase} | {f.get('requests', 0)} | {_ms(p50) if p50 else '–'} | "
                         f"{_ms(f.get('p95_ms')) if f.get('p95_ms') else '–'} | {ratio} | {failed} | {others} |")
    return lines + [""]


def _why(value: dict[str, Any] | None) -> str:
    if value is None:
        return "not run"
    return "failed" if "error" in value else "–"


def render(results: Path = RESULTS_DIR, command: str = "make bench") -> str:
    """The whole Markdown report from whatever JSON results exist."""
    lines = ["# Foedus benchmark results", "", f"Reproduce with `{command}` (results in bench/results/).", ""]
    machine = _load(results, "machine")
    if machine:
        lines += machine_md(machine) + [""]
    parts = (("build", build_md), ("shacl", shacl_md), ("engine", engine_md), ("http", http_md),
             ("scale", scale_md), ("load", load_md))
    for name, fn in parts:
        data = _load(results, name)
        if data is not None:
            lines += fn(data)
    return "\n".join(lines).rstrip() + "\n"
