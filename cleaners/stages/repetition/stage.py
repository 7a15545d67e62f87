"""Remove the lines a site repeats across its documents in this run: its template, not its articles.

A line that a site prints under many of its articles ("Subscribe to ... for free", "Posted on by
...", a commenting policy) is template, whatever it says. No phrase list knows every site's
template; counting can. Per-document rules see one page; this stage sees the run, so it runs as a
map-reduce over shards: ``observe`` counts, per (host, URL section), the documents that hold each
line key (``keys.py``); ``merge`` adds the counts (``counts.py``); ``bind`` keeps the keys some rule
can use; ``apply`` removes lines by four rules, each with its reason id:

* ``repeated:line`` - the line (digits, case and spacing ignored) is in at least ``min_docs``
  documents AND ``min_share`` of its host's documents. Two thresholds, because a quote or a fact
  box two articles of a big site share is content; long lines, more often prose, need
  ``long_line_min_share``.
* ``repeated:template`` - the same with names masked: "(c) 2019 Example Media" / "(c) 2021 Other
  Press", "X is a staff writer at Y", "The post X appeared first on Y". Only short lines that keep
  two literal anchors form a template, so subheadings ("The Road Ahead") never do.
* ``repeated:section`` - a line in ``section_min_share`` of the documents of one URL section (its
  first path segment) with ``section_min_docs`` documents or more: an opinion desk's disclaimer,
  a syndication feed's footer, far below a share of the whole host.
* ``repeated:signature`` - a sub-source's sign-off. One domain often hosts many authors or feeds,
  and each one's bio, contact line or "originally published at" note repeats in only a handful
  of documents. Repetition that rare is no proof on its own: two articles may share a quote. Its
  position is: a line seen in ``signature_min_docs`` documents or more is removed when it belongs
  to a block of repeated lines touching the start or the end of the document (repeated lines
  between it and the edge, nothing unrepeated). A shared quote sits inside the article, with
  unrepeated text on both sides, and stays; a document that is repeated from end to end (a
  duplicate page) keeps its lines too, that is dedup's call.
* ``repeated:edge_pair`` (``small_host_edges``, off by default) - on a host with fewer than
  ``min_host_docs`` documents (two, by default), where "in every page" means nothing, only the edge
  walk acts: short lines that all of its documents carry, in a block of at most
  ``small_host_max_lines`` at a document's start or end (a site's header, its copyright line, a
  sign-off). A shared quote inside the body, and long lines (a background paragraph two reports end
  with), stay; a dateline or an info box two pages share does not, hence off by default.

Documents without a host are counted but never acted on.

State: 12 bytes per distinct (host, section, line key) in the merged partial, a template key
adding a second entry for the short lines that have one. On ``shared/corpus/news_dev.jsonl``
that is 196 bytes per document (163 with exact lines per host only: sections add 18, templates
15), i.e. ~200 MB per million documents before ``bind`` in the worst case (nothing shared);
``bind`` keeps only the keys seen in ``signature_min_docs`` documents or more (kilobytes per
site). Whole-page text (~150 lines a page) costs ten times that: run the stage after
select_main_text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex
from pydantic import Field

from boilerclean.cleaners.document import Document, Removal
from boilerclean.cleaners.stage import CorpusStage, Params, StageLog
from boilerclean.cleaners.stages.repetition.counts import LineCounts, sum_arrays
from boilerclean.cleaners.stages.repetition.edges import edge_block
from boilerclean.cleaners.stages.repetition.keys import (
    countable,
    line_hash,
    line_template,
    normalise_line,
    url_section,
)

LINE, TEMPLATE, SECTION, SIGNATURE = "repeated:line", "repeated:template", "repeated:section", "repeated:signature"
PAIR = "repeated:edge_pair"
_BLANKS = regex.compile(r"\n{3,}")
_NO_HOST = ""


@dataclass(slots=True)
class HostState:
    """What ``apply`` needs of one host: its size, the counts of its usable keys, its sections' hits."""

    docs: int
    counts: dict[int, int]
    sections: dict[str, tuple[int, dict[int, int]]]
    small: bool = False  # fewer than min_host_docs documents: only blocks at the edges that all of them carry


class RemoveRepeatedLines(CorpusStage):
    """Drop a site's template lines, templates, section lines, sub-sources' sign-offs and small sites' edge blocks."""

    name = "remove_repeated_lines"

    class Params(Params):
        min_docs: int = Field(
            2,
            ge=2,
            description="a line must occur in at least this many documents of its host; lower catches small "
            "sites' templates, but also a quote two articles share",
        )
        min_share: float = Field(
            0.2,
            gt=0.0,
            le=1.0,
            description="... and in at least this share of the host's documents; lower removes more template "
            "lines of big sites and more shared quotes",
        )
        min_host_docs: int = Field(
            3,
            ge=2,
            description="hosts with fewer documents in the run are left untouched but for small_host_edges (two "
            "pages of a site share too much real content to tell)",
        )
        small_host_edges: bool = Field(
            False,
            description="on a host with fewer than min_host_docs documents (but 2 or more), remove the short "
            "lines that every one of them carries in a block at its start or end (repeated:edge_pair): a "
            "site's header or sign-off, but also a dateline or an info box two pages share (off by default: "
            "on extractor output it took 2 debris lines for 4 real ones, benchmarks/eval_lines.py)",
        )
        small_host_max_lines: int = Field(
            2,
            ge=1,
            description="... when that block has at most this many lines: a header or a sign-off is a line or "
            "two, a fact box or a ticket box that two pages share is longer; higher also takes two pages' menus",
        )
        long_line_chars: int = Field(
            200,
            ge=1,
            description="lines longer than this (normalised chars) are held to long_line_min_share: long lines "
            "are usually prose, so repetition alone is weaker evidence",
        )
        long_line_min_share: float = Field(
            0.3,
            gt=0.0,
            le=1.0,
            description="share of the host's documents a long line needs; 1.0 effectively spares long lines",
        )
        max_line_chars: int = Field(
            2000,
            ge=1,
            description="longer lines are neither counted nor removed (whole articles on one line); saves state",
        )
        templates: bool = Field(
            True,
            description="also count lines with names, numbers, URLs and handles masked; finds credits and "
            "sign-offs whose names vary, at one more key per short line of state",
        )
        template_max_words: int = Field(
            12,
            ge=2,
            description="only lines of at most this many words get a template; longer ones are prose, whose "
            "shape two articles can share by chance",
        )
        section_min_docs: int = Field(
            5,
            ge=2,
            description="a URL section (first path segment) with at least this many documents is judged as a "
            "site of its own too; lower finds small feeds' templates, and more shared quotes",
        )
        section_min_share: float = Field(
            0.5,
            gt=0.0,
            le=1.0,
            description="share of a section's documents a line needs to go as that section's template",
        )
        signatures: bool = Field(
            True,
            description="remove sub-sources' sign-offs: rarer repeated lines in a block at a document's start or end",
        )
        signature_min_docs: int = Field(
            3,
            ge=2,
            description="documents a line of such an edge block must be in; 2 also takes a block two articles "
            "share at their end (an event's fact box), higher misses authors with few documents",
        )
        min_doc_share_kept: float = Field(
            0.5,
            ge=0.0,
            le=1.0,
            description="if removal would leave less than this share of a document's characters, remove "
            "nothing from it: a 'template' that is most of a document is an article its copies share "
            "(syndication, updates); 0 = always remove, and then an article and its copy both vanish",
        )

    params: Params

    def __init__(self, params: Params | None = None) -> None:
        super().__init__(params)
        self.state: dict[str, HostState] = {}

    # -- keys ------------------------------------------------------------------------------
    def _norm(self, line: str) -> str:
        """The exact form of a countable line, "" for one never counted (blank, no letters, too long)."""
        limit = self.params.max_line_chars
        if not line or line.isspace() or len(line) > limit * 2:
            return ""
        norm = normalise_line(line)
        return norm if countable(norm, limit) else ""

    def _template_key(self, line: str) -> int:
        template = line_template(line, self.params.template_max_words) if self.params.templates else None
        return line_hash(template) if template else 0

    # -- map -------------------------------------------------------------------------------
    def new_partial(self) -> LineCounts:
        return LineCounts()

    def observe(self, partial: LineCounts, doc: Document) -> None:
        host = doc.host() or _NO_HOST
        keys: set[int] = set()
        if host != _NO_HOST:  # no site to be a template of: never acted on, so its lines are never counted
            for line in (doc.text or "").split("\n"):
                norm = self._norm(line)
                if norm:
                    keys.add(line_hash(norm))
                    template = self._template_key(line)
                    if template:
                        keys.add(template)
        partial.add((host, url_section(doc.url) if host else ""), keys)

    # -- reduce ----------------------------------------------------------------------------
    def merge(self, partials: Sequence[LineCounts]) -> LineCounts:
        return LineCounts.merged(partials)

    def _host_need(self, docs: int) -> float:
        return max(self.params.min_docs, self.params.min_share * docs)

    def bind(self, state: LineCounts) -> None:
        """Per host: the counts of keys some rule can use, and each big section's own template keys."""
        p = self.params
        bound: dict[str, HostState] = {}
        for host, sections in state.hosts().items():
            n_docs = sum(state.docs[(host, s)] for s in sections)
            if host == _NO_HOST or n_docs < 2:
                continue
            keys, counts = sum_arrays([state.arrays((host, s)) for s in sections])
            if n_docs < p.min_host_docs:
                hit = counts >= n_docs
                if p.small_host_edges and hit.any():
                    kept = dict(zip(keys[hit].tolist(), counts[hit].tolist(), strict=True))
                    bound[host] = HostState(n_docs, kept, {}, small=True)
                continue
            floor = min(self._host_need(n_docs), p.signature_min_docs if p.signatures else np.inf)
            hit = counts >= floor
            own: dict[str, tuple[int, dict[int, int]]] = {}
            for section in sections:
                n_sec = state.docs[(host, section)]
                if p.section_min_docs <= n_sec < n_docs:
                    sk, sc = state.arrays((host, section))
                    shit = sc >= max(p.min_docs, p.section_min_share * n_sec)
                    if shit.any():
                        own[section] = (n_sec, dict(zip(sk[shit].tolist(), sc[shit].tolist(), strict=True)))
            if hit.any() or own:
                counts_kept = dict(zip(keys[hit].tolist(), counts[hit].tolist(), strict=True))
                bound[host] = HostState(n_docs, counts_kept, own)
        self.state = bound

    # -- apply -----------------------------------------------------------------------------
    def _verdict(self, line: str, host: HostState, section: str) -> tuple[str | None, int, int, str]:
        """(rule or None, documents seen in, of how many, where) for one line; rule None if it stays.

        A line never counted (blank, no letters) gets count -1: the signature walk passes over it.
        """
        norm = self._norm(line)
        if not norm:
            return None, -1, 0, ""
        p = self.params
        exact = line_hash(norm)
        count = host.counts.get(exact, 0)
        if host.small:  # only the edge walk acts here; a long line (prose, a shared fact) never joins a block
            return None, count if len(norm) <= p.long_line_chars else 0, host.docs, ""
        need = self._host_need(host.docs)
        if len(norm) > p.long_line_chars:
            need = max(need, p.long_line_min_share * host.docs)
        if count >= need:
            return LINE, count, host.docs, ""
        template = self._template_key(line)
        t_count = host.counts.get(template, 0) if template else 0
        if t_count >= self._host_need(host.docs):
            return TEMPLATE, t_count, host.docs, ""
        if section in host.sections:
            n_sec, hits = host.sections[section]
            s_count = max(hits.get(exact, 0), hits.get(template, 0) if template else 0)
            if s_count:
                return SECTION, s_count, n_sec, f"/{section}"
        return None, max(count, t_count), host.docs, ""

    def apply(self, doc: Document, log: StageLog) -> Document:
        host = doc.host() or _NO_HOST
        state = self.state.get(host)
        if state is None or not doc.text:
            return doc
        p = self.params
        section = url_section(doc.url)
        lines = doc.text.split("\n")
        verdicts = [self._verdict(line, state, section) for line in lines]
        rules: list[str | None] = [v[0] for v in verdicts]
        if state.small:
            for i in edge_block(verdicts, rules, state.docs, p.small_host_max_lines):
                rules[i] = PAIR
        elif p.signatures:
            for i in edge_block(verdicts, rules, p.signature_min_docs):
                rules[i] = rules[i] or SIGNATURE
        if not any(rules):
            return doc
        text = _BLANKS.sub("\n\n", "\n".join(line for line, rule in zip(lines, rules, strict=True) if not rule))
        text = text.strip("\n")
        if p.min_doc_share_kept and len(text) < p.min_doc_share_kept * len(doc.text):
            log.counters["repeated:doc_spared"] += 1
            return doc
        for line, rule, (_, count, of, where) in zip(lines, rules, verdicts, strict=True):
            if not rule:
                continue
            log.removed(doc, rule, line)
            if doc.removals is not None:  # explaining: say how common the line was, and where
                note = ", in a repeated block at the document's edge" if rule in (SIGNATURE, PAIR) else ""
                doc.removals[-1] = Removal(
                    self.name, rule, f"{line} (seen in {count} of {of} docs of {host}{where}{note})"
                )
        log.counters["repeated:docs_changed"] += 1
        doc.text = text
        return doc
