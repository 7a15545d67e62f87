"""Fold per-shard counters into the run report, and render it for people.

Prefect-free so the CLI, tests and benchmarks can build the same report. The accounting
invariant (in = clean + rejected) is checked here, where the numbers meet: a report that
does not add up says so in ``"accounting_ok": false`` instead of hiding it.
"""

from __future__ import annotations

import collections
from typing import Any

from boilerclean.cleaners.stage import StageLog


def build_report(
    results: list[dict[str, Any]],
    stage_names: list[str],
    extra: dict[str, Any],
    on_disk: dict[str, int] | None = None,
    disk_problems: list[str] | None = None,
) -> dict[str, Any]:
    """Merge shard results (any order) into ``{"documents", "stages", ...}``.

    ``on_disk``: records counted in the part files ({"clean": n, "rejected": m}). When given, the
    documents reported are those, and the accounting holds only if they add up to the documents
    read *and* agree with the shards' own counters and no part file is missing (``disk_problems``).
    """
    read: dict[str, Any] | None = None
    stages: dict[int, dict[str, Any]] = {}
    clean = rejected = 0
    reasons: collections.Counter[str] = collections.Counter()
    lengths: collections.Counter[str] = collections.Counter()
    languages: collections.Counter[str] = collections.Counter()
    offsets = _segment_offsets(results)
    for res in sorted(results, key=lambda r: (r["segment"], r["shard"])):
        if res.get("read"):
            read = StageLog.merge_dicts(read, res["read"])
            reasons.update(res["read"]["rejected"])
        for i, log in enumerate(res["stages"]):
            pos = offsets[res["segment"]] + i
            stages[pos] = StageLog.merge_dicts(stages.get(pos), log)
            reasons.update(log["rejected"])
        clean += res["clean"]
        rejected += res["rejected"]
        if res.get("clean_stats"):
            lengths.update(res["clean_stats"]["lengths"])
            languages.update(res["clean_stats"]["languages"])
    docs_in = read["docs_in"] if read else 0
    accounting_ok = docs_in == clean + rejected
    if on_disk is not None:
        accounting_ok = accounting_ok and (on_disk["clean"], on_disk["rejected"]) == (clean, rejected)
        clean, rejected = on_disk["clean"], on_disk["rejected"]
        accounting_ok = accounting_ok and docs_in == clean + rejected and not disk_problems
    ordered = [stages[i] for i in sorted(stages)]
    if not ordered:  # no shards at all: still list the configured stages
        ordered = [StageLog(name).as_dict() for name in stage_names]
    return {
        "documents": {"in": docs_in, "clean": clean, "rejected": rejected},
        "accounting_ok": accounting_ok,
        "rejected_by_reason": dict(reasons.most_common()),
        "stages": ([read] if read else [StageLog("read").as_dict()]) + ordered,
        "clean_lengths": {k: lengths[k] for k in _bucket_order(lengths)},
        "languages": dict(languages.most_common()),
        "worker_peak_rss_mb": max((res.get("peak_rss_mb") or 0 for res in results), default=0),
        # wall time the shard passes took inside their workers: a run's seconds minus this (for one
        # worker) is what orchestration added
        "shard_seconds": round(sum(res.get("seconds") or 0 for res in results), 3),
        **extra,
        **({"disk_problems": disk_problems or []} if on_disk is not None else {}),
    }


def _bucket_order(lengths: collections.Counter[str]) -> list[str]:
    return sorted(lengths, key=lambda k: (k.startswith(">="), int(k.lstrip("<>="))))


def _segment_offsets(results: list[dict[str, Any]]) -> dict[int, int]:
    """Position in the whole chain of each pass's first stage."""
    sizes: dict[int, int] = {}
    for res in results:
        sizes[res["segment"]] = len(res["stages"])
    offsets, pos = {}, 0
    for seg in sorted(sizes):
        offsets[seg] = pos
        pos += sizes[seg]
    return offsets


def stage_table(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per stage: what a person scans first (documents, removals, time)."""
    rows = []
    for s in report["stages"]:
        removed = collections.Counter(s["lines_removed"])
        rows.append(
            {
                "stage": s["stage"],
                "docs_in": s["docs_in"],
                "docs_out": s["docs_out"],
                "rejected": sum(s["rejected"].values()),
                "lines_removed": sum(removed.values()),
                "chars_removed": sum(s["chars_removed"].values()),
                "top_reasons": ", ".join(f"{k} {v}" for k, v in (s["rejected"] | dict(removed.most_common(3))).items()),
                "seconds": s["seconds"],
            }
        )
    return rows


def markdown_summary(report: dict[str, Any]) -> str:
    d = report["documents"]
    lines = [
        f"# boilerclean run: {d['clean']} clean, {d['rejected']} rejected of {d['in']} documents",
        "",
        f"Accounting {'OK' if report['accounting_ok'] else 'BROKEN'}: in = clean + rejected.",
        "",
        "| stage | docs in | docs out | rejected | lines removed | chars removed | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in stage_table(report):
        lines.append(
            f"| {r['stage']} | {r['docs_in']} | {r['docs_out']} | {r['rejected']} | "
            f"{r['lines_removed']} | {r['chars_removed']} | {r['seconds']:.2f} |"
        )
    if report["rejected_by_reason"]:
        lines += ["", "Rejected by reason:", ""]
        lines += [f"- `{k}`: {v}" for k, v in list(report["rejected_by_reason"].items())[:20]]
    return "\n".join(lines) + "\n"
