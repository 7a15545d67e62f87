"""The dataset card: a README.md in every output folder, for the person who inherits the data.

It answers what a dataset user asks first: how much, what was removed and why (with real
examples, so a rule can be judged), what languages and lengths remain, and how to reproduce.
"""

from __future__ import annotations

import importlib.metadata
from typing import Any

import yaml

from boilerclean.flows.report import stage_table

PACKAGES = ("boilerclean", "prefect", "trafilatura", "ftfy", "nupunkt", "py3langid", "datasketch", "orjson")


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def render_card(report: dict[str, Any], config: dict[str, Any]) -> str:
    d = report["documents"]
    kept = f"{d['clean'] / d['in']:.1%}" if d["in"] else "n/a"
    out = [
        "# Dataset card (written by boilerclean)",
        "",
        f"{d['clean']:,} clean documents out of {d['in']:,} input documents ({kept} kept); "
        f"{d['rejected']:,} rejected, each with its reason in `rejected/`.",
        f"Accounting: in = clean + rejected {'holds' if report['accounting_ok'] else 'DOES NOT HOLD'}.",
        "",
        "## Files",
        "",
        f"- `clean/part-*.{config.get('output', {}).get('format', 'jsonl')}`: one record per document "
        f"({config.get('output', {}).get('schema', 'boilerclean')} layout; boilerclean's: `id`, `text` (paragraphs "
        'separated by a blank line), `title` and `url` (`""` when none), `sentences` and `sentence_spans` (lists '
        "when segmented, else null), `metadata` (a JSON object, as a string): the same fields in every record).",
        "- `rejected/part-*.jsonl`: `id`, `stage`, `reason` (plus measured values) and the input record.",
        "- `report.json`: every counter below, machine-readable. `manifest.json`: the inputs processed so far.",
        "",
        'Load: `datasets.load_dataset("json", data_dir="clean")`, `polars.read_ndjson("clean/*.jsonl")`, '
        '`pandas.read_json(path, lines=True, dtype=False)`; `json.loads(record["metadata"])` for the metadata.',
        "",
        "## What each stage did",
        "",
        "| stage | docs in | docs out | rejected | lines removed | chars removed | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in stage_table(report):
        out.append(
            f"| {r['stage']} | {r['docs_in']:,} | {r['docs_out']:,} | {r['rejected']:,} | "
            f"{r['lines_removed']:,} | {r['chars_removed']:,} | {r['seconds']:.2f} |"
        )
    out += ["", "## Top removal and rejection reasons, with examples", ""]
    reasons = []
    for s in report["stages"]:
        for rule, n in {**s["lines_removed"], **s["rejected"]}.items():
            reasons.append((n, s["stage"], rule, s.get("examples", {}).get(rule, [])))
    for n, stage, rule, examples in sorted(reasons, key=lambda r: (-r[0], r[2]))[:15]:
        out.append(f"- `{rule}` ({stage}): {n:,}")
        out += [f"    - {_quote(e)}" for e in examples]
    if not reasons:
        out.append("Nothing was removed.")
    if report.get("languages"):
        out += ["", "## Languages", "", "| language | documents |", "|---|---:|"]
        out += [f"| {lang} | {n:,} |" for lang, n in list(report["languages"].items())[:20]]
    if report.get("clean_lengths"):
        total = sum(report["clean_lengths"].values()) or 1
        out += ["", "## Length of clean texts (characters)", "", "| length | documents | |", "|---|---:|---|"]
        for bucket, n in report["clean_lengths"].items():
            out.append(f"| {bucket} | {n:,} | {'#' * max(1, round(40 * n / total))} |")
    out += [
        "",
        "## Reproduce",
        "",
        f"Inputs: {', '.join(f'`{p}`' for p in report.get('inputs', []))}. "
        f"Config fingerprint `{report.get('config_fingerprint', '')}`; duration of the last run "
        f"{report.get('seconds', 0):.1f} s with {report.get('workers', 1)} worker(s), "
        f"{report.get('worker_peak_rss_mb', 0)} MB peak memory per worker.",
        "",
        "```yaml",
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True).rstrip(),
        "```",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()),
        "",
    ]
    return "\n".join(out)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "`" + (text[:120] + "…" if len(text) > 120 else text).replace("`", "'") + "`"
