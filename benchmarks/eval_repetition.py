"""What remove_repeated_lines removes on real multi-document data, line by line, against the labels.

    .venv/bin/python benchmarks/eval_repetition.py                    # all sections below
    .venv/bin/python benchmarks/eval_repetition.py --samples 30       # + the lines it removes, per rule
    .venv/bin/python benchmarks/eval_repetition.py --set min_share=0.3 --set edge_min_docs=3

The stage only sees what the chain before it left (``configs/news-text.yaml`` up to it; the stages
after it do not change which lines it removes), and it only acts with several documents of a site
in one run. Sections:

1. **newslines dev, labelled** (15 domains): the chain runs over the 44 labelled articles alone,
   and over ``corpus/news_dev.jsonl`` (91 articles of 26 domains, a superset: the run a user would
   do), scoring the 44 labelled ones. Per domain: debris lines (gold ``boilerplate``/``title``) the
   stage removes, content lines it removes (gold ``content``/``mixed``: a loss) and the debris the
   chain leaves that repetition never touched. The stage's parameters were set from invented
   examples, not fitted to these labels; per-domain rows show how a site the parameters were never
   tried on fares (each row is that domain's documents only).
2. **extractor output, labelled** (``extraction/trafilatura_lines.jsonl``): 91 pages of 63 hosts,
   28 hosts with 2 pages; with ``min_host_docs: 2`` to show what a pair of pages gives.
3. **corpus statistics**: on ``corpus/news_dev.jsonl`` how many lines each rule removes and which;
   ``corpus/horne2017.jsonl`` has no URL or domain, so the stage (rightly) never acts there.
4. **state size**: bytes of the merged partial per document, i.e. per million documents.

Data is read from $BOILERCLEAN_SHARED (default <repo>/../shared) and never copied into the repo.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import sys
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.config import load_config, parse_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import clean_documents  # noqa: E402
from boilerclean.cleaners.stage import Rejected  # noqa: E402
from boilerclean.cleaners.stages.repetition.stage import RemoveRepeatedLines  # noqa: E402

STAGE = RemoveRepeatedLines.name
SPACE = regex.compile(r"\s+")
DEBRIS = {"boilerplate", "title"}


def squash(line: str) -> str:
    return SPACE.sub(" ", line).strip()


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


ALONE = ("fix_encoding", "normalize_whitespace")


def chain(config: Path, overrides: dict, alone: bool = False) -> list:
    """The config's stages up to remove_repeated_lines (``alone``: only encoding + whitespace before it)."""
    specs = []
    for spec in load_config(config).stages:
        if alone and spec.name not in (*ALONE, STAGE):
            continue
        params = {**spec.params, **(overrides if spec.name == STAGE else {})}
        specs.append({"name": spec.name, **params})
        if spec.name == STAGE:
            break
    else:
        specs.append({"name": STAGE, **overrides})
    return parse_config({"stages": specs}, str(config)).build_stages()


def removed_by_stage(stages: list, docs: list[Document]) -> dict[str, list[tuple[str, str]]]:
    """doc id -> [(rule, line)] removed by remove_repeated_lines."""
    for doc in docs:
        doc.removals = []
    results, _ = clean_documents(stages, docs)
    out: dict[str, list[tuple[str, str]]] = {}
    for item in results:
        doc = item.doc if isinstance(item, Rejected) else item
        out[doc.id] = [(r.rule, r.text.rsplit(" (seen in ", 1)[0]) for r in doc.removals or [] if r.stage == STAGE]
    return out


def kept_lines(stages: list, docs: list[Document]) -> dict[str, set[str]]:
    results, _ = clean_documents(stages, docs)
    return {d.id: {squash(x) for x in d.text.split("\n") if x.strip()} for d in results if not isinstance(d, Rejected)}


def newslines(config: Path, overrides: dict, samples: int) -> None:
    path = SHARED / "eval" / "newslines"
    if not (path / "dev.jsonl").exists():
        print("newslines: not found, skipped")
        return
    labels: dict[str, dict[str, str]] = collections.defaultdict(dict)
    domain_of: dict[str, str] = {}
    for row in map(json.loads, (path / "dev.jsonl").open(encoding="utf-8")):
        labels[row["doc_id"]][squash(row["text"])] = row["label"]
        domain_of[row["doc_id"]] = row["domain"]
    records = [json.loads(x) for x in (path / "dev_docs.jsonl").open(encoding="utf-8")]
    corpus = SHARED / "corpus" / "news_dev.jsonl"
    contexts = {"44 labelled articles": [(r["doc_id"], r["raw"], r["url"], r["domain"]) for r in records]}
    if corpus.exists():
        rows = [json.loads(x) for x in corpus.open(encoding="utf-8")]
        contexts["news_dev, 91 articles"] = [
            (r["id"].removeprefix("fnc-"), r["text"], r["url"], r["domain"]) for r in rows
        ]
    runs = [(alone, name, ctx) for alone in (True, False) for name, ctx in contexts.items()]
    for alone, name, ctx in runs:
        stages = chain(config, overrides, alone)
        removed = removed_by_stage(stages, [Document(id=i, text=t, url=u, domain=d) for i, t, u, d in ctx])
        without = kept_lines(stages[:-1], [Document(id=i, text=t, url=u, domain=d) for i, t, u, d in ctx])
        rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        shown: list[str] = []
        for doc_id, gold in labels.items():
            dom = domain_of[doc_id]
            gone = {squash(line): rule for rule, line in removed.get(doc_id, [])}
            for line, label in gold.items():
                left = line in without.get(doc_id, set())
                if label in DEBRIS and left:
                    rows[dom]["debris_left_before"] += 1
                if line not in gone:
                    continue
                if label in DEBRIS:
                    rows[dom]["debris_removed"] += 1
                elif label in ("content", "mixed"):
                    rows[dom]["content_removed"] += 1
                    rows[dom]["content_chars"] += len(line)
                    shown.append(f"      LOSS {dom}/{doc_id} [{gone[line]}]: {line[:110]}")
                if len(shown) < samples and label in DEBRIS:
                    shown.append(f"      ok   {dom}/{doc_id} [{gone[line]}]: {line[:110]}")
        content_chars = sum(len(x) for g in labels.values() for x, lab in g.items() if lab in ("content", "mixed"))
        what = f"{' + '.join(ALONE)} + {STAGE} alone" if alone else f"{config.name} up to {STAGE}"
        print(f"\n== newslines dev, run over {name}, labelled articles scored; chain: {what}")
        print(
            f"   {'domain':28s} {'docs':>4s} {'debris left by the chain':>25s}"
            f" {'removed here':>13s} {'content lost':>13s}"
        )
        total: collections.Counter = collections.Counter()
        docs_per = collections.Counter(domain_of.values())
        for dom in sorted(docs_per, key=lambda d: (-docs_per[d], d)):
            r = rows[dom]
            total.update(r)
            print(
                f"   {dom:28s} {docs_per[dom]:4d} {r['debris_left_before']:25d} {r['debris_removed']:13d}"
                f" {r['content_removed']:6d} lines"
            )
        left = total["debris_left_before"]
        share = total["debris_removed"] / left if left else 0.0
        print(
            f"   {'all':28s} {len(labels):4d} {left:25d} {total['debris_removed']:13d}"
            f" {total['content_removed']:6d} lines"
            f"  ({share:.0%} of the debris left; {total['content_chars'] / content_chars:.2%} of content chars lost)"
        )
        for line in shown:
            print(line)


def trafilatura_lines(config: Path, overrides: dict) -> None:
    path = SHARED / "eval" / "extraction"
    if not (path / "trafilatura_lines.jsonl").exists():
        print("extraction: not found, skipped")
        return
    gt = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    pages: dict[str, list[tuple[int, str, str]]] = collections.defaultdict(list)
    for row in map(json.loads, (path / "trafilatura_lines.jsonl").open(encoding="utf-8")):
        pages[row["page_id"]].append((row["line_no"], row["text"], row["label"]))
    docs = [Document(id=p, text="\n\n".join(t for _, t, _ in sorted(ls)), url=gt[p]["url"]) for p, ls in pages.items()]
    hosts = collections.Counter(d.host() for d in docs)
    removed = removed_by_stage(chain(config, {"min_host_docs": 2, **overrides}), docs)
    tally: collections.Counter = collections.Counter()
    shown = []
    for pid, ls in pages.items():
        label = {squash(t): lab for _, t, lab in ls}
        for rule, line in removed.get(pid, []):
            lab = label.get(squash(line), "?")
            tally[lab] += 1
            shown.append(f"      {lab:11s} [{rule}] {line[:100]}")
    debris = sum(1 for ls in pages.values() for *_, lab in ls if lab == "boilerplate")
    print(
        f"\n== extraction trafilatura_lines: {len(docs)} pages, {len(hosts)} hosts"
        f" ({sum(1 for n in hosts.values() if n > 1)} with 2+ pages), min_host_docs 2"
    )
    print(f"   removed: {tally['boilerplate']} debris lines (of {debris}), {tally['content']} content lines")
    for line in shown[:40]:
        print(line)


def corpus_stats(config: Path, overrides: dict, samples: int) -> None:
    path = SHARED / "corpus" / "news_dev.jsonl"
    if not path.exists():
        return
    rows = [json.loads(x) for x in path.open(encoding="utf-8")]
    for alone in (True, False):
        docs = [Document(id=r["id"], text=r["text"], url=r["url"], domain=r["domain"]) for r in rows]
        corpus_rules(chain(config, overrides, alone), docs, rows, samples, alone)
    stage = chain(config, overrides, True)[-1]
    docs = [Document(id=r["id"], text=r["text"], url=r["url"], domain=r["domain"]) for r in rows]
    part = stage.new_partial()
    for doc in docs:
        stage.observe(part, doc)
    merged = stage.merge([pickle.loads(pickle.dumps(part))])
    size = len(pickle.dumps(merged, protocol=5))
    print(
        f"\n== state: merged partial for {len(docs)} docs = {merged.nbytes()} B of arrays, {size} B pickled"
        f" -> {merged.nbytes() / len(docs):.0f} B/doc, ~{merged.nbytes() / len(docs):.0f} MB per million docs"
    )


def corpus_rules(stages: list, docs: list[Document], rows: list[dict], samples: int, alone: bool) -> None:
    removed = removed_by_stage(stages, docs)
    per_rule: collections.Counter = collections.Counter()
    examples: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc_id, items in removed.items():
        for rule, line in items:
            per_rule[rule] += 1
            host = next(d.host() for d in docs if d.id == doc_id)
            examples[rule][(host, line[:100])] += 1
    changed = sum(1 for items in removed.values() if items)
    total = sum(1 for d in rows for x in d["text"].split("\n") if x.strip())
    what = "alone (encoding + whitespace before it)" if alone else "in the news-text chain"
    print(f"\n== corpus/news_dev.jsonl, {what}: {len(rows)} docs, {total} non-blank lines; {changed} docs changed")
    for rule, n in per_rule.most_common():
        print(f"   {n:5d}  {rule}  ({len(examples[rule])} distinct lines)")
        for (host, line), k in examples[rule].most_common(samples):
            print(f"          {k:3d}x {host}: {line}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "news-text.yaml")
    ap.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE", help="override a stage parameter")
    ap.add_argument("--samples", type=int, default=0, help="removed lines to print per section")
    args = ap.parse_args()
    overrides = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    newslines(args.config, overrides, args.samples)
    trafilatura_lines(args.config, overrides)
    corpus_stats(args.config, overrides, args.samples)


if __name__ == "__main__":
    main()
