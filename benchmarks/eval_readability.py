"""Likely lost text and likely debris on the Readability test pages (many languages and layouts).

    .venv/bin/python benchmarks/eval_readability.py                      # pooled + the 10 worst pages
    .venv/bin/python benchmarks/eval_readability.py --worst 0            # every page
    .venv/bin/python benchmarks/eval_readability.py --stage-only --json /tmp/readability.json

There is no human gold for these pages (``$BOILERCLEAN_SHARED/eval/readability``, default
``<repo>/../shared``; see its README): ``expected.html`` is what Mozilla Readability outputs. So
we ask two questions that need no gold. Text that **both** trafilatura (library defaults) and
Readability keep is very likely article text: the share of it our output lacks is *lost*. Text
we output that **neither** keeps is likely page debris. Both are counted as 4-word shingles
(multisets, lower-cased ``\\w+`` words; a CJK character counts as a word, since those scripts
put no spaces between words), per page and pooled over all pages (sum over sum, so long pages
weigh more).

For context the same two numbers are printed for bare ``trafilatura.extract`` in precision mode
(comments off), the library's own stricter setting, on the same pages in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval_extraction import add_chain_arguments, build_stages, run_pipeline  # noqa: E402

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
DATA = SHARED / "eval" / "readability" / "pages"
# CJK ideographs and kana are written without spaces: each character is a word of its own
_IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
_WORDS = re.compile(f"[{_IDEOGRAPHIC}]|[^\\W{_IDEOGRAPHIC}]+")
_BLOCK_TAGS = frozenset(
    re.findall(
        r"\w+", "p div li h1 h2 h3 h4 h5 h6 br tr td th pre blockquote figcaption dd dt section article table ul ol"
    )
)
SHINGLE = 4


def shingles(text: str) -> Counter:
    words = _WORDS.findall(text.lower())
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def html_text(html: str) -> str:
    """Visible text of Readability's article HTML, a line break after every block element."""
    if not html.strip():
        return ""
    tree = lxml.html.fromstring(html)
    for el in tree.xpath("//script|//style"):
        el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return tree.text_content()


def load_pages() -> list[tuple[str, str, str]]:
    """(name, source html, Readability's expected text) for every test page."""
    pages = []
    for path in sorted(DATA.glob("*.source.html.gz")):
        name = path.name.removesuffix(".source.html.gz")
        source = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        expected = gzip.decompress((DATA / f"{name}.expected.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((name, source, html_text(expected)))
    return pages


def compare(ours: str, trafilatura_text: str, readability_text: str) -> dict[str, int]:
    """Shingle counts: shared (both references keep), lost (shared, not ours), ours, debris (ours, neither)."""
    mine, traf, read = shingles(ours), shingles(trafilatura_text), shingles(readability_text)
    shared = traf & read
    return {
        "shared": sum(shared.values()),
        "lost": sum((shared - mine).values()),
        "ours": sum(mine.values()),
        "debris": sum((mine - (traf | read)).values()),
    }


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_chain_arguments(ap)
    ap.add_argument("--worst", type=int, default=10, help="pages to list, by lost share (0: all)")
    ap.add_argument("--json", help="write the per-page numbers here")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"no readability pages at {DATA} (set BOILERCLEAN_SHARED)")
    import trafilatura

    pages = load_pages()
    stages = build_stages(args.config, args.stage_only)
    ours, _, _ = run_pipeline(stages, [(name, source, None) for name, source, _ in pages])
    rows = []
    for name, source, expected in pages:
        reference = trafilatura.extract(source) or ""
        precision = trafilatura.extract(source, favor_precision=True, include_comments=False) or ""
        row = {"page": name, **compare(ours[name], reference, expected)}
        bare = compare(precision, reference, expected)
        row["precision_lost"], row["precision_ours"], row["precision_debris"] = (
            bare["lost"],
            bare["ours"],
            bare["debris"],
        )
        rows.append(row)

    total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "page"}
    above = [r for r in rows if r["shared"] and share(r["lost"], r["shared"]) > 0.10]
    chain = "extract_html (stage only)" if args.stage_only else Path(args.config).name
    print(f"{len(rows)} Readability test pages; reference = trafilatura.extract defaults and Readability's expected")
    print(
        f"{chain}: lost {share(total['lost'], total['shared']):.2%} of the shared text (pooled), "
        f"debris {share(total['debris'], total['ours']):.2%} of its output; {len(above)} pages lose > 10 %"
    )
    print(
        f"bare trafilatura favor_precision: lost {share(total['precision_lost'], total['shared']):.2%}, "
        f"debris {share(total['precision_debris'], total['precision_ours']):.2%}"
    )
    rows.sort(key=lambda r: (-share(r["lost"], r["shared"]), r["page"]))
    shown = rows if args.worst == 0 else rows[: args.worst]
    print("\n| page | shared shingles | lost | debris | precision mode lost |\n|---|---:|---:|---:|---:|")
    for r in shown:
        print(
            f"| {r['page']} | {r['shared']} | {share(r['lost'], r['shared']):.1%} | "
            f"{share(r['debris'], r['ours']):.1%} | {share(r['precision_lost'], r['shared']):.1%} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print("\ncommand: " + " ".join([Path(sys.executable).name, *sys.argv]))


if __name__ == "__main__":
    main()
