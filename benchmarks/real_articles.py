"""Every real article in ../shared, as documents: the population the dataset stages must not lose.

    corpus      shared/corpus news_dev + horne2017: raw scraped text, debris and all (417)
    newslines   shared/eval/newslines dev_docs ``expected``: hand-cleaned article text (44)
    extraction  shared/eval/extraction ground truth ``articleBody`` (91 pages, several languages)
    readability shared/eval/readability ``expected.html`` as text (130 pages, many languages;
                an algorithm's output, not human gold, and some pages are parser unit cases)

``english`` tells which pages count as English articles for the language targets, independently
of the language stage being measured: the share of words that are common English function words
found in no other major language ("the", "of", "that", "with", "which", ...) is at least 9 %
(English prose runs at 11-30 %, other languages and Latin filler text at most 7 %), or, for
text with little prose (a results table), the page declares ``<html lang="en">``, its letters are
all ASCII and it has some of those words (the declaration alone is wrong on several pages: French
and German ones say "en"; Latin filler has none of the words).

Nothing is copied into the repository: the files are read from $BOILERCLEAN_SHARED.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
SETS = ("corpus", "newslines", "extraction", "readability")

_LANG_ATTR = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_FUNCTION_WORDS = frozenset(
    (
        "the",
        "of",
        "and",
        "to",
        "that",
        "for",
        "it",
        "was",
        "with",
        "he",
        "she",
        "from",
        "his",
        "her",
        "they",
        "this",
        "are",
        "have",
        "has",
        "had",
        "not",
        "but",
        "which",
        "were",
        "been",
        "their",
        "will",
        "would",
        "who",
        "said",
    )
)


@dataclass
class Article:
    set: str
    id: str
    text: str
    url: str | None = None
    domain: str | None = None
    title: str | None = None
    english: bool = True  # see english()

    @property
    def words(self) -> int:
        return len(self.text.split())


def english(text: str, declared: str | None = None) -> bool:
    words = _WORD.findall(text.lower())
    share = sum(w in _FUNCTION_WORDS for w in words) / max(1, len(words))
    if share >= 0.09:
        return True
    letters = [c for c in text if c.isalpha()]
    return declared == "en" and share > 0 and sum(not c.isascii() for c in letters) < 0.005 * len(letters)


def declared_language(html: str) -> str | None:
    m = _LANG_ATTR.search(html[:50_000])
    return m.group(1).lower()[:2] if m else None


def _read_gz(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        return fh.read()


def corpus() -> list[Article]:
    out = []
    for name in ("news_dev", "horne2017"):
        for line in (SHARED / "corpus" / f"{name}.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            out.append(Article("corpus", r["id"], r["text"], r.get("url"), r.get("domain"), r.get("title")))
    return out


def newslines() -> list[Article]:
    out = []
    for line in (SHARED / "eval" / "newslines" / "dev_docs.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        out.append(Article("newslines", "newslines-" + r["doc_id"], r["expected"], r.get("url"), r.get("domain")))
    return out


def extraction() -> list[Article]:
    root = SHARED / "eval" / "extraction"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for page_id, rec in truth.items():
        text = rec["articleBody"]
        lang = english(text, declared_language(_read_gz(root / "html" / f"{page_id}.html.gz")))
        out.append(Article("extraction", "extraction-" + page_id[:12], text, rec.get("url"), english=lang))
    return out


def readability() -> list[Article]:
    import lxml.html

    root = SHARED / "eval" / "readability" / "pages"
    out = []
    for path in sorted(root.glob("*.expected.html.gz")):
        name = path.name.removesuffix(".expected.html.gz")
        tree = lxml.html.fromstring(_read_gz(path) or "<div></div>")
        for bad in tree.xpath("//script|//style"):
            bad.drop_tree()
        blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote|//pre|//td")
        text = "\n\n".join(" ".join(b.text_content().split()) for b in blocks if not b.xpath(".//p|.//li"))
        text = text.strip() or " ".join(tree.text_content().split())
        lang = english(text, declared_language(_read_gz(root / f"{name}.source.html.gz")))
        out.append(Article("readability", "readability-" + name, text, english=lang))
    return out


def load(sets: tuple[str, ...] = SETS) -> list[Article]:
    """The articles of the named sets, in a fixed order; sets whose files are absent are skipped."""
    loaders = {"corpus": corpus, "newslines": newslines, "extraction": extraction, "readability": readability}
    out: list[Article] = []
    for name in sets:
        try:
            out.extend(loaders[name]())
        except FileNotFoundError:
            continue
    return out
