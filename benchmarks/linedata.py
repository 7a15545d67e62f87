"""The labelled line data of ``../shared/eval`` in one shape, and one line-level scorer for all of it.

Shared by ``eval_lines.py`` (scores a chain, leave-site-out) and ``train_line_model.py`` (fits the line
model): both must read the same lines with the same labels and the same site groups, or a CV figure
would not mean what it says.

Three sets, each a list of ``Case`` (one document: its input text and its gold lines in order):

* ``newslines``   - ``eval/newslines`` dev: scraped article text (``newspaper`` output), 15 domains,
  labels content / mixed (with its clean text) / boilerplate / title, by hand.
* ``trafilatura`` - ``eval/extraction/trafilatura_lines.jsonl``: trafilatura's output for 91 pages of
  63 hosts, a line is content when aligned to the human-written article body (see that README).
* ``pages``       - ``eval/extraction/lines.jsonl``: the same pages' whole visible text.

The site (the CV group) is the domain, else the URL host without ``www.``: the two extraction sets
are the same pages, so one site is one group across sets.

Scoring follows ``eval/newslines/score.py`` (its normalisation is imported from there): a gold debris
line (boilerplate, title) is removed when its text is no longer a line of the output; a content line
is kept when it is; a mixed line counts as kept when its clean text is there. Lines match as multisets,
content before debris, strictly and then by a loose key. Content characters lost: characters of
content lines (of the clean part, for mixed) found nowhere in the output.

The two label sets differ on the standfirst (the dek under a headline): the newslines guideline keeps
it as content, the Zyte ground truth behind the extraction sets leaves it out. ``lead_kind`` tags the
debris lines above the first content line of an extraction page as ``headline`` / ``standfirst`` /
``byline`` by shape, so a report can say how many misses are standfirsts.
"""

from __future__ import annotations

import collections
import difflib
import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import regex

from boilerclean.cleaners.stages.artifacts.shape import title_cased

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
NEWSLINES = SHARED / "eval" / "newslines"
EXTRACTION = SHARED / "eval" / "extraction"
DATASETS = ("newslines", "trafilatura", "pages")
DEBRIS = ("boilerplate", "title")


def _scorer():
    """newslines' score.py as a module: its ``norm``/``loose`` are the normalisation every number here uses."""
    spec = importlib.util.spec_from_file_location("newslines_score", NEWSLINES / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCORE = _scorer() if (NEWSLINES / "score.py").exists() else None


def norm(s: str) -> str:
    return _SCORE.norm(s)


def loose(s: str) -> str:
    return _SCORE.loose(s)


@dataclass(slots=True)
class Gold:
    """One labelled line: ``label`` is content, mixed, boilerplate or title; ``kind`` a finer tag."""

    text: str
    label: str
    clean: str | None = None
    kind: str = ""

    @property
    def debris(self) -> bool:
        return self.label in DEBRIS


@dataclass(slots=True)
class Case:
    """One document of a set: the text a cleaner gets, and its gold lines in order."""

    dataset: str
    id: str
    site: str
    text: str
    url: str | None
    gold: list[Gold]
    title: str | None = None


_SUMMED = (
    *("tp", "fn", "fp", "tn", "chars", "lost", "docs"),
    *("fp_guideline", "lost_guideline", "chars_guideline", "stand_chars", "stand_lost"),
)  # the Tally fields that add up over documents


@dataclass
class Tally:
    """Line counts of one group of documents (a site, a set, a family)."""

    tp: int = 0  # debris removed
    fn: int = 0  # debris left
    fp: int = 0  # content (or the clean part of a mixed line) not kept
    tn: int = 0  # content kept
    chars: int = 0  # content characters
    lost: int = 0  # content characters found nowhere in the output
    docs: int = 0
    fp_guideline: int = 0  # of fp: content lines the newslines guideline calls debris (``tag_guideline``)
    lost_guideline: int = 0  # of lost: characters of those lines
    chars_guideline: int = 0  # of chars: characters of those lines
    stand_chars: int = 0  # characters of standfirst lines (debris here, content by the newslines guideline)
    stand_lost: int = 0  # of those, removed
    by_kind: collections.Counter = field(default_factory=collections.Counter)  # (kind, removed?) -> lines

    def add(self, other: Tally) -> None:
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_kind.update(other.by_kind)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def lost_share(self) -> float | None:
        return self.lost / self.chars if self.chars else None

    @property
    def lost_share_guideline(self) -> float | None:
        """Content lost by the newslines guideline: republication, copyright, credit and URL lines are not
        content, a standfirst is."""
        chars = self.chars - self.chars_guideline + self.stand_chars
        return (self.lost - self.lost_guideline + self.stand_lost) / chars if chars else None


def site_of(url: str | None, domain: str | None = None) -> str:
    if domain:
        return domain.lower().removeprefix("www.")
    rest = (url or "").split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":")[0].lower().removeprefix("www.")


def fold_of(site: str, folds: int) -> int:
    """The CV fold of a site: stable across runs and sets (a site's documents are never split)."""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % folds


# ------------------------------------------------------------------------------------------- loading


def load_newslines() -> list[Case]:
    docs = [json.loads(s) for s in (NEWSLINES / "dev_docs.jsonl").open(encoding="utf-8")]
    lines: dict[str, list[dict]] = collections.defaultdict(list)
    for s in (NEWSLINES / "dev.jsonl").open(encoding="utf-8"):
        r = json.loads(s)
        lines[r["doc_id"]].append(r)
    cases = []
    for d in docs:
        gold = [
            Gold(r["text"], r["label"], r.get("clean"), kind=r["label"])
            for r in sorted(lines[d["doc_id"]], key=lambda r: r["line_no"])
            if r["label"] != "unsure"
        ]
        cases.append(
            Case("newslines", str(d["doc_id"]), site_of(d.get("url"), d.get("domain")), d["raw"], d.get("url"), gold)
        )
    return cases


def load_extraction(name: str) -> list[Case]:
    """``trafilatura`` (trafilatura_lines.jsonl) or ``pages`` (lines.jsonl): lines joined by one newline."""
    path = EXTRACTION / ("trafilatura_lines.jsonl" if name == "trafilatura" else "lines.jsonl")
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    rows: dict[str, list[dict]] = collections.defaultdict(list)
    for s in path.open(encoding="utf-8"):
        r = json.loads(s)
        rows[r["page_id"]].append(r)
    cases = []
    for pid in sorted(rows):
        recs = sorted(rows[pid], key=lambda r: r["line_no"])
        gold = [Gold(r["text"], "content" if r["label"] == "content" else "boilerplate") for r in recs]
        if name == "trafilatura":
            tag_lead(gold)
            tag_guideline(gold)
        url = truth[pid]["url"]
        text = "\n".join(r["text"] for r in recs)
        cases.append(Case(name, pid, site_of(url), text, url, gold))
    return cases


def load(names: tuple[str, ...] | list[str] = DATASETS) -> dict[str, list[Case]]:
    out = {}
    for name in names:
        if name == "newslines":
            if (NEWSLINES / "dev_docs.jsonl").exists():
                out[name] = load_newslines()
        elif (EXTRACTION / "ground-truth.json").exists():
            out[name] = load_extraction(name)
    return out


_SENTENCE = regex.compile(r"[.!?…][\"'”’)\]]*$")
_BYLINE = regex.compile(
    r"^(?:by\b|written by|posted|published|updated|\d{1,2}[/.:]\d{1,2}|\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4})",
    regex.IGNORECASE,
)
_WORDS = regex.compile(r"\w+")
_LIST = regex.compile(r"^(?:[-–—•*·]|\d{1,2}[.)])\s")


def tag_lead(gold: list[Gold]) -> None:
    """Tag the debris lines above the first content line of an extraction page: the first of them that is
    headline-shaped (no sentence end, at most 25 words) is the ``headline``; a byline or date is ``byline``;
    the first later line of 8+ words that is neither a list item nor title-cased (a second headline) is the
    ``standfirst`` (content by the newslines guideline, debris by the Zyte ground truth). Shape only: the tag
    is the eval's reading of the labels, never shown to a cleaner."""
    first_content = next((i for i, g in enumerate(gold) if not g.debris), len(gold))
    headline_seen = standfirst_seen = False
    for g in gold[:first_content]:
        s = g.text.strip()
        words = len(_WORDS.findall(s))
        if _BYLINE.search(s) and words <= 15:
            g.kind = "byline"
        elif not headline_seen and words <= 25 and not _SENTENCE.search(s):
            g.kind = "headline"
            headline_seen = True
        elif headline_seen and not standfirst_seen and words >= 8 and not _LIST.match(s) and not title_cased(s):
            g.kind = "standfirst"
            standfirst_seen = True


_GUIDELINE_DEBRIS = regex.compile(
    r"^(?:this (?:article|story|piece|post) (?:was|is|has been) (?:originally |first )?(?:published|reprinted|"
    r"republished|reproduced)|originally (?:published|appeared)|©|\(c\) ?\d{4}|copyright\b|contributing:|"
    r"(?:additional )?reporting by\b)|^(?:https?://|www\.)\S+$",
    regex.IGNORECASE,
)


def tag_guideline(gold: list[Gold]) -> None:
    """Tag content lines of an extraction page that the newslines guideline calls debris (republication notes,
    copyright lines, reporting credits, a bare URL on its own line): the Zyte ground truth keeps them in the
    article body, so a cleaner that follows the guideline is charged a false positive for each."""
    for g in gold:
        if not g.debris and _GUIDELINE_DEBRIS.search(g.text.strip()):
            g.kind = "guideline-debris"


# ------------------------------------------------------------------------------------------- scoring


def score_case(case: Case, prediction: str, family=None) -> tuple[Tally, list[bool | None]]:
    """The tally of one document and, per gold line, whether it is gone from the output (None: not scored).
    ``family(case, i)`` names the family a debris line is counted under in ``Tally.by_kind``."""
    units = []
    for g in case.gold:
        text = g.clean if g.label == "mixed" else g.text
        n = norm(text or "")
        if not n:
            units.append(None)
            continue
        segs = [n]
        if g.label == "mixed":  # the parts of the raw line that survive in its clean form
            sm = difflib.SequenceMatcher(None, norm(g.text), n, autojunk=False)
            segs = [s for s in (n[b.b : b.b + b.size].strip() for b in sm.get_matching_blocks() if b.size) if s]
        units.append(
            {"debris": g.debris, "norm": n, "loose": loose(text), "found": False, "segs": segs, "kind": g.kind}
        )
    plines = [p for p in (norm(x) for x in (prediction or "").splitlines()) if p]
    avail = collections.Counter(plines)
    live = [u for u in units if u is not None]
    for want_debris in (False, True):  # a prediction line is credited to content first
        for u in live:
            if u["debris"] == want_debris and avail[u["norm"]] > 0:
                avail[u["norm"]] -= 1
                u["found"] = True
    avail_loose = collections.Counter()
    for p, k in avail.items():
        if k > 0 and loose(p):
            avail_loose[loose(p)] += k
    for want_debris in (False, True):
        for u in live:
            if u["debris"] == want_debris and not u["found"] and u["loose"] and avail_loose[u["loose"]] > 0:
                avail_loose[u["loose"]] -= 1
                u["found"] = True
    full = " ".join(plines)
    full_loose = loose(full)
    tally = Tally(docs=1)
    gone: list[bool | None] = []
    for i, u in enumerate(units):
        if u is None:
            gone.append(None)
            continue
        gone.append(not u["found"])
        if u["debris"]:
            if u["kind"] == "standfirst":
                tally.stand_chars += sum(len(s) for s in u["segs"])
                tally.stand_lost += 0 if u["found"] else sum(len(s) for s in u["segs"])
            if u["found"]:
                tally.fn += 1
            else:
                tally.tp += 1
            if family is not None:
                tally.by_kind[family(case, i), not u["found"]] += 1
            continue
        tally.chars += sum(len(s) for s in u["segs"])
        if u["kind"] == "guideline-debris":
            tally.chars_guideline += sum(len(s) for s in u["segs"])
        if u["found"]:
            tally.tn += 1
        else:
            tally.fp += 1
            lost = sum(len(s) for s in u["segs"] if not (s in full or (loose(s) and loose(s) in full_loose)))
            tally.lost += lost
            if u["kind"] == "guideline-debris":
                tally.fp_guideline += 1
                tally.lost_guideline += lost
    return tally, gone


def label_lines(case: Case, lines: list[str]) -> list[int | None]:
    """Gold labels for the lines a stage sees (after encoding and whitespace stages changed them a little):
    1 debris, 0 content, None when a line matches no gold line or is a headline/standfirst (left to the
    title stage, and content by one guideline, debris by the other). Lines are matched in order, strictly
    and then by the loose key; a gold line is used once."""
    keys = []
    for g in case.gold:
        texts = {g.text, g.clean} if g.label == "mixed" and g.clean else {g.text}
        keys.append(({norm(t) for t in texts}, {loose(t) for t in texts} - {""}))
    out: list[int | None] = []
    start = 0
    for line in lines:
        n, lo = norm(line), loose(line)
        if not n:
            out.append(None)
            continue
        hit = next((j for j in range(start, len(keys)) if n in keys[j][0]), None)
        if hit is None and lo:
            hit = next((j for j in range(start, len(keys)) if lo in keys[j][1]), None)
        if hit is None:
            out.append(None)
            continue
        g = case.gold[hit]
        out.append(None if g.kind in ("title", "headline", "standfirst") else int(g.debris))
        start = hit + 1
    return out
