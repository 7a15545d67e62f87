"""What the text chain removes from extractor output of pages unlike the dev sets, and whose loss it is.

    .venv/bin/python benchmarks/eval_lines_breadth.py                 # pooled, by reason, worst pages
    .venv/bin/python benchmarks/eval_lines_breadth.py --lost 40       # + the first 40 likely-content lines removed
    .venv/bin/python benchmarks/eval_lines_breadth.py --audit artifact:widget_island title:leading_headline
        # + every removal by these rules on these pages and on the 417 unlabelled corpus articles, to read

The labelled line sets (``eval_lines.py``) are English news from 78 sites, and the rule packs were written
while looking at them. The Readability test pages (``$BOILERCLEAN_SHARED/eval/readability``: 130 pages,
a dozen languages, blogs, docs, Wikipedia, right-to-left and CJK scripts, synthetic parser cases) were
not used to write any line rule, so they are the breadth check for ``remove_artifacts``,
``select_main_text``, ``title`` and ``remove_repeated_lines``. There is no line gold: a line of
trafilatura's output is **likely content** when at least half of its 4-word shingles are in
Readability's expected article (``eval_readability.shingles``), otherwise it is text Readability leaves
out (debris, mostly, but also real text Readability misses). Each removed line is charged to the
stage and rule that removed it (the chain runs with explanations on), so a loss has a name.

The chain is ``configs/news-text.yaml`` minus extraction and sentence splitting, on trafilatura's text
(comments off, tables on: what ``extract_html`` starts from), one document per page.

``--audit`` is the precision check for a new rule on text it was not written from: it lists every line
the named rules remove, on these pages and on ``corpus/`` (unlabelled scraped news; its titles are
withheld, as extractor output has none), for a reader to judge.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_newslines import build_chain
from eval_readability import DATA, REPO, SHARED, html_text, shingles

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents

SHARED_MIN = 0.5


def load_pages() -> list[tuple[str, str, collections.Counter]]:
    """(name, trafilatura text, Readability's shingles) per page with any extracted text."""
    pages = []
    for src in sorted(DATA.glob("*.source.html.gz")):
        name = src.name.removesuffix(".source.html.gz")
        html = gzip.decompress(src.read_bytes()).decode("utf-8", "replace")
        expected = gzip.decompress((DATA / f"{name}.expected.html.gz").read_bytes()).decode("utf-8", "replace")
        text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
        if text.strip():
            pages.append((name, text, shingles(html_text(expected))))
    return pages


def page_documents(pages: list[tuple[str, str, collections.Counter]]) -> list[Document]:
    """Fresh documents of the pages' text (a chain changes the documents it cleans)."""
    return [Document(id=n, text=t, url=f"https://{n}.example/page", removals=[]) for n, t, _ in pages]


def likely_content(line: str, expected: collections.Counter) -> bool:
    sh = shingles(line)
    total = sum(sh.values())
    return bool(total) and sum(min(c, expected[k]) for k, c in sh.items()) / total >= SHARED_MIN


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "news-text.yaml")
    ap.add_argument("--worst", type=int, default=10, help="pages with the most likely content lost")
    ap.add_argument("--lost", type=int, default=0, help="print this many removed likely-content lines")
    ap.add_argument("--audit", nargs="+", default=[], metavar="RULE", help="list every removal by these rules")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no Readability pages at {DATA} (set BOILERCLEAN_SHARED)")

    print(f"$ python benchmarks/eval_lines_breadth.py --config {args.config.name}")
    pages = load_pages()
    stages = build_chain(args.config)
    docs = page_documents(pages)
    results, _ = clean_documents(stages, docs)
    by_id = {r.id: r for r in results}

    total = collections.Counter()
    by_rule: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_page = collections.Counter()
    lost_lines = []
    rejected = 0
    for name, text, expected in pages:
        lines = [s for s in (ln.strip() for ln in text.split("\n")) if s]
        content = [likely_content(s, expected) for s in lines]
        total["content_chars"] += sum(len(s) for s, c in zip(lines, content, strict=True) if c)
        total["other_lines"] += content.count(False)
        doc = by_id[name]
        if not isinstance(doc, Document):  # a rejected document loses everything
            rejected += 1
            lost = sum(len(s) for s, c in zip(lines, content, strict=True) if c)
            total["content_lost"] += lost
            per_page[name] += lost
            by_rule[f"reject:{doc.reason}"]["content_chars"] += lost
            continue
        pool = collections.Counter(lines)
        for removal in doc.removals or []:
            s = removal.text.strip()
            if not pool[s]:
                continue  # a span cut from a line, not a whole line
            pool[s] -= 1
            key = f"{removal.stage}/{removal.rule}"
            if likely_content(s, expected):
                by_rule[key]["content_lines"] += 1
                by_rule[key]["content_chars"] += len(s)
                total["content_lost"] += len(s)
                per_page[name] += len(s)
                lost_lines.append((name, key, s))
            else:
                by_rule[key]["other_lines"] += 1
                total["other_removed"] += 1

    share = total["content_lost"] / max(total["content_chars"], 1)
    print(f"{len(pages)} pages ({rejected} rejected whole), chain {args.config.name}")
    print(
        f"likely content lost: {100 * share:.2f} % of {total['content_chars']:,} characters; "
        f"lines Readability also leaves out removed: {total['other_removed']} of {total['other_lines']}"
    )
    print(f"\n  {'stage/rule':<48} {'content lines':>13} {'content chars':>14} {'other lines':>12}")
    for key, c in sorted(by_rule.items(), key=lambda kv: -kv[1]["content_chars"]):
        print(f"  {key:<48} {c['content_lines']:>13} {c['content_chars']:>14,} {c['other_lines']:>12}")
    if args.worst:
        print(f"\nworst {args.worst} pages by likely content lost (characters):")
        for name, lost in per_page.most_common(args.worst):
            print(f"  {name:<36} {lost:>8,}")
    for name, key, s in lost_lines[: args.lost]:
        print(f"  LOST {name} [{key}] {s[:100]}")
    if args.audit:
        audit(stages, pages, set(args.audit))


def audit(stages: list, pages: list[tuple[str, str, collections.Counter]], rules: set[str]) -> None:
    """Every removal by ``rules`` on the pages and the corpus articles, with its document."""
    docs = page_documents(pages)
    for path in sorted((SHARED / "corpus").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            docs.append(Document(id=r["id"], text=r["text"], url=r.get("url"), removals=[]))
    results, _ = clean_documents(stages, docs)
    counts = collections.Counter()
    print(f"\naudit: removals by {', '.join(sorted(rules))} on {len(docs)} documents (pages and corpus articles)")
    for doc in results:
        for removal in getattr(doc, "removals", None) or []:
            if removal.rule in rules:
                counts[removal.rule] += 1
                print(f"  {removal.rule:<32} {doc.id[:30]:<30} {removal.text.strip()[:110]}")
    print("  " + ", ".join(f"{rule}: {counts[rule]}" for rule in sorted(rules)))


if __name__ == "__main__":
    main()
