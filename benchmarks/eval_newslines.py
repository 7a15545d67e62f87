"""Score the news-text chain on the newslines dev half (line-level debris removal), next to a C4 baseline.

    .venv/bin/python benchmarks/eval_newslines.py                  # configs/news-text.yaml on dev
    .venv/bin/python benchmarks/eval_newslines.py --per-rule       # + lines each rule removes on shared/corpus
    .venv/bin/python benchmarks/eval_newslines.py --per-rule --samples 5   # + example lines per rule

The chain is the config's stages minus segment_sentences (the scorer compares lines, not sentences);
stages whose module does not exist yet are skipped with a note. Articles a stage rejects (e.g. an
author archive page emptied completely) are predicted as empty text, which is what the gold expects.
Data comes from $BOILERCLEAN_SHARED (default <repo>/../shared) and is never copied into the repo.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
NEWSLINES = SHARED / "eval" / "newslines"
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from boilerclean.cleaners.catalog import stage_class  # noqa: E402
from boilerclean.cleaners.config import parse_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import clean_documents  # noqa: E402
from boilerclean.cleaners.stage import Rejected  # noqa: E402

SKIP = {"segment_sentences"}


def build_chain(config: Path, overrides: dict[str, dict] | None = None) -> list:
    """The config's stages minus SKIP, with parameter overrides per stage name ({stage: {param: value}});
    a stage whose module does not exist yet is left out with a note."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    kept = []
    for entry in data["stages"]:
        name = entry.get("name")
        if name in SKIP:
            continue
        try:
            stage_class(name)
        except ImportError as exc:  # a stage another helper has not written yet
            print(f"note: stage {name} skipped ({exc})", file=sys.stderr)
            continue
        kept.append({**entry, **(overrides or {}).get(name, {})})
    return parse_config({**data, "stages": kept}, str(config)).build_stages()


def run_chain(stages: list, records: list[dict], text_key: str, explain: bool = False) -> list[Document | Rejected]:
    docs = [
        Document(
            id=str(r.get("doc_id", r.get("id"))),
            text=r[text_key],
            url=r.get("url"),
            domain=r.get("domain"),
            title=r.get("title") if text_key == "text" and r.get("title") else None,
            removals=[] if explain else None,
        )
        for r in records
    ]
    results, _ = clean_documents(stages, docs)
    return results


def c4_lines(text: str) -> str:
    """datatrove's C4 line rules (terminal punctuation, >= 3 words, javascript/policy/lorem/curly bracket)."""
    keep = []
    for line in text.split("\n"):
        s = line.strip()
        low = s.lower()
        if not s or not s.endswith((".", "!", "?", '"', "'")) or len(s.split()) < 3:
            continue
        if "javascript" in low or "lorem ipsum" in low or "{" in s:
            continue
        if any(p in low for p in ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies")):
            continue
        keep.append(line)
    return "\n\n".join(keep)


def score(predictions: dict[str, str], label: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for doc_id, text in predictions.items():
            f.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        path = f.name
    cmd = [sys.executable, str(NEWSLINES / "score.py"), path]
    print(f"\n=== {label}\n$ {' '.join(cmd)}")
    sys.stdout.flush()
    subprocess.run(cmd, check=False)


def per_rule(stages: list, samples: int) -> None:
    for name in ("news_dev.jsonl", "horne2017.jsonl"):
        path = SHARED / "corpus" / name
        if not path.exists():
            continue
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        total = sum(len([s for s in re.split(r"\r?\n", r["text"]) if s.strip()]) for r in records)
        counts: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        for item in run_chain(stages, records, "text", explain=True):
            doc = item.doc if isinstance(item, Rejected) else item
            for removal in doc.removals or []:
                counts[removal.rule] += 1
                if len(examples[removal.rule]) < samples:
                    examples[removal.rule].append(f"{doc.id}: {removal.text.strip()[:150]}")
        print(f"\n=== lines/spans removed per rule on {name} ({len(records)} docs, {total} non-blank lines)")
        for rule, n in counts.most_common():
            print(f"{n:6d}  {rule}")
            for ex in examples[rule]:
                print(f"          | {ex}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "news-text.yaml")
    ap.add_argument("--per-rule", action="store_true", help="count removals per rule on shared/corpus")
    ap.add_argument("--samples", type=int, default=0, help="example removed lines per rule (with --per-rule)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the C4 baseline")
    args = ap.parse_args()
    if not (NEWSLINES / "dev_docs.jsonl").exists():
        sys.exit(f"newslines not found under {NEWSLINES} (set BOILERCLEAN_SHARED)")
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    records = [json.loads(line) for line in (NEWSLINES / "dev_docs.jsonl").open(encoding="utf-8")]
    stages = build_chain(args.config)
    print("chain:", " -> ".join(s.name for s in stages))
    predictions = {r["doc_id"]: "" for r in records}
    for item in run_chain(stages, records, "raw"):
        if not isinstance(item, Rejected):
            predictions[item.id] = item.text
    score(predictions, f"{args.config.name} on newslines dev")
    if not args.no_baseline:
        score({r["doc_id"]: c4_lines(r["raw"]) for r in records}, "C4 line rules (datatrove) on newslines dev")
    if args.per_rule:
        per_rule(stages, args.samples)


if __name__ == "__main__":
    main()
