"""title: a headline repeated as the first line(s) of the text moves to ``doc.title``.

Scrapers put the headline back into the body, often below a teaser or a dek, and a title line read
as body text is a sentence the downstream model should never see. Three cues, strongest first:

1. ``doc.title`` is known (from the input record): a leading line equal or near-equal to it is removed
   (``title:repeated_headline``).
2. The URL slug spells the headline (``/article/neo-stalinism-and-the-polish-challenge``): the leading
   line whose words match the slug becomes the title (``title:url_headline``). This is how a headline
   is told apart from a dek of the same shape above it. Slugs are often cut short or keep only some of
   the headline's words ("/home-depot-sales-earnings-retail"): failing a close match, a leading line without
   a sentence end that holds most of the slug's words (``slug_share``) and comes first is the headline too.
3. No title, no slug match: a first line that looks like a headline (short, mostly capitalised words,
   no sentence punctuation) followed by a body paragraph becomes the title (``title:leading_headline``).

Short section labels set above a URL-confirmed headline ("Poetry online") go as ``title:section_label``.
Kept lines are byte-identical; the separation between them is preserved.
"""

from __future__ import annotations

import unicodedata

import regex
from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, StageLog
from boilerclean.cleaners.stages.artifacts.shape import CLOSERS, title_cased

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
_SLUG_EXT = regex.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", regex.IGNORECASE)
_SITE_SUFFIX = regex.compile(r"\s+(?:[|–—-]|::)\s+[^|–—]{1,60}$")
_SENTENCE_END = regex.compile(r"[.:;,][\"'”’)]*$")
_NOTE_LABEL = regex.compile(r"\p{Lu}{2,}\s*:")
_PARAGRAPH_END = regex.compile(r"[.!?…][\"'”’)]*$")
_INNER_SENTENCE = regex.compile(r"\p{Ll}{2}[.!?][\"'”’)]* +\p{Lu}|https?://|www\.|#\w")
_CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})


def _tokens(text: str) -> list[str]:
    """Lower-cased letter/digit runs with accents and apostrophes folded, as slugs spell words."""
    text = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [t.casefold() for t in _TOKEN.findall(text)]


def slug_segments(url: str | None) -> list[list[str]]:
    """The words of each URL path segment (numbers and file extensions dropped); one of them may be the slug."""
    if not url:
        return []
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    out = []
    for seg in path.split("/")[1:]:
        words: list[str] = []
        for t in _tokens(_SLUG_EXT.sub("", seg).replace("_", "-")):
            if t in _CLITICS and words:
                words[-1] += t  # "trump-s" spells "Trump's", which the line's tokens read as "trumps"
            elif not t.isdigit():
                words.append(t)
        if words:
            out.append(words)
    return out


def slug_match(line: str, slug: list[str]) -> float:
    """Dice overlap of the line's words and the slug's (numbers ignored); a one-word slug must equal the line."""
    words = [t for t in _tokens(line) if not t.isdigit()]
    if not words or not slug:
        return 0.0
    joined_words, joined_slug = "".join(words), "".join(slug)
    if joined_words == joined_slug or (len(slug) >= 5 and _starts_with(words, slug)):
        return 1.0  # the same letters ("trumps" vs "trump-s"), or a slug cut short after five words or more
    common = sum(min(words.count(w), slug.count(w)) for w in set(words))
    if common < 2:
        return 0.0
    return 2 * common / (len(words) + len(slug))


def _starts_with(words: list[str], slug: list[str]) -> bool:
    """The line's words start with the slug's; the slug's last word may be cut ("divided-on-sou")."""
    if len(words) < len(slug) or words[: len(slug) - 1] != slug[:-1]:
        return False
    return words[len(slug) - 1].startswith(slug[-1])


def slug_containment(line: str, slug: list[str]) -> float:
    """Share of the slug's words that the line holds (a slug often keeps only part of a headline's words and adds
    its own: "home-depot-sales-earnings-retail" for "Home Depot sales miss, shares plunge"); 0 below 3 words."""
    words = [t for t in _tokens(line) if not t.isdigit()]
    common = sum(min(words.count(w), slug.count(w)) for w in set(slug))
    return common / len(slug) if common >= 3 else 0.0


def near_equal(a: str, b: str, threshold: float) -> bool:
    """Same words in nearly the same amount; a site's name after a separator ("Title | Site") does not count."""
    head = _SITE_SUFFIX.sub("", a)
    if head != a and near_equal(head, b, threshold):
        return True
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    common = sum(min(ta.count(w), tb.count(w)) for w in set(ta))
    return 2 * common / (len(ta) + len(tb)) >= threshold


class ExtractTitleParams(Params):
    search_lines: int = Field(
        4, ge=1, description="how many leading lines may hold the headline; more finds headlines below teasers/deks"
    )
    max_title_words: int = Field(
        30, ge=1, description="a line with more words is never a headline (it is a paragraph or a dek)"
    )
    near_equal_threshold: float = Field(
        0.8,
        ge=0,
        le=1,
        description="word overlap (Dice) at which a leading line counts as a repeat of the known title; "
        "lower also removes headline variants, risks removing a first sentence that paraphrases it",
    )
    slug_share: float = Field(
        0.6,
        ge=0,
        le=1,
        description="without a close slug match, a first line shaped like a headline (4+ words, no sentence end, a "
        "longer line after it) that holds this share of the slug's words (3 at least) is the headline; lower "
        "accepts looser slugs, risks taking a first subheading (1 disables)",
    )
    slug_threshold: float = Field(
        0.85,
        ge=0,
        le=1,
        description="word overlap (Dice) between a line and the URL slug for the line to be the headline; "
        "lower accepts shortened slugs, risks taking a list item that shares the slug's words",
    )
    infer_from_shape: bool = Field(
        True,
        description="without a title or a slug match, take a headline-shaped first line followed by a paragraph "
        "as the title; off keeps every line when no stronger cue exists",
    )
    title_case_min: float = Field(
        0.7,
        ge=0,
        le=1,
        description="share of content words (not a, of, the...) that must be capitalised for a line to look "
        "like a headline by shape alone",
    )
    sentence_case_min_words: int = Field(
        6,
        ge=0,
        description='a first line in sentence case ("Council approves the new budget after a long night") is taken '
        "for a headline by shape when it has at least this many words, starts with a capital, has no sentence "
        "end, and a paragraph that ends like a sentence follows it (0: only title-case lines); lower takes "
        "shorter lines, risks an opening line that lost its full stop",
    )
    section_label_max_words: int = Field(
        4, ge=0, description="short label lines above a URL-confirmed headline are removed as section labels (0: keep)"
    )


class ExtractTitle(DocumentStage):
    """Move the headline out of the body into ``doc.title`` (see module doc)."""

    name = "title"
    Params = ExtractTitleParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        text = doc.text or ""
        if not text.strip():
            return doc
        p = self.params
        lines = [line.rstrip("\r") for line in text.split("\n")]  # CR of CRLF is line ending
        live = [i for i, s in enumerate(lines) if s.strip()]
        lead = [i for i in live[: p.search_lines] if len(lines[i].split()) <= p.max_title_words]
        drop: dict[int, str] = {}

        if doc.title and doc.title.strip():
            for i in lead:
                if near_equal(lines[i], doc.title, p.near_equal_threshold):
                    drop[i] = "title:repeated_headline"
        else:
            segments = slug_segments(doc.url)
            scored = [
                (max((slug_match(lines[i], seg) for seg in segments), default=0.0), -k, i) for k, i in enumerate(lead)
            ]
            best = max(scored, default=(0.0, 0, -1))
            if best[0] < p.slug_threshold and self._loose_slug_headline(lines, live, segments):
                doc.title = lines[live[0]].strip()
                drop[live[0]] = "title:url_headline"
            elif best[0] >= p.slug_threshold:
                i = best[2]
                doc.title = lines[i].strip()
                drop[i] = "title:url_headline"
                for j in live[: live.index(i)]:
                    s = lines[j].strip()
                    if len(s.split()) <= p.section_label_max_words and not _SENTENCE_END.search(s):
                        drop[j] = "title:section_label"
            elif p.infer_from_shape and len(live) >= 2 and self._headline_shaped(lines[live[0]], lines[live[1]]):
                doc.title = lines[live[0]].strip()
                drop[live[0]] = "title:leading_headline"

        if not drop:
            return doc
        for i, why in sorted(drop.items()):
            log.removed(doc, why, lines[i])
        doc.text = _without(lines, drop)
        return doc

    def _loose_slug_headline(self, lines: list[str], live: list[int], segments: list[list[str]]) -> bool:
        """The first line holds most of the slug's words and has a headline's shape: 4+ words, no sentence end,
        no metadata pipe, and a longer line after it."""
        if not segments or self.params.slug_share >= 1 or len(live) < 2:
            return False
        s = lines[live[0]].strip()
        n = len(s.split())
        if not 4 <= n <= self.params.max_title_words or _SENTENCE_END.search(s) or "|" in s:
            return False
        if len(lines[live[1]].split()) <= n:
            return False
        return max(slug_containment(s, seg) for seg in segments) >= self.params.slug_share

    def _headline_shaped(self, line: str, following: str) -> bool:
        s = line.strip()
        words = s.split()
        if not 2 <= len(words) <= min(self.params.max_title_words, 20) or _SENTENCE_END.search(s) or "|" in s:
            return False  # a pipe marks metadata ("USA | 2017 | 54 min"), not a headline
        if s.endswith(("!", "?", "…")) and len(words) > 15:
            return False
        if s.isupper():
            return False
        # the next line must be a paragraph, not another short line of a list or a credits block
        paragraph = len(following.split()) >= max(len(words) + 4, 12)
        if title_cased(s, self.params.title_case_min):
            return paragraph
        # a sentence-case headline: longer, and the paragraph under it must end like one (a list item or a
        # credits line under a first sentence that lost its full stop does not)
        n = self.params.sentence_case_min_words
        return (
            paragraph
            and 0 < n <= len(words)
            and s[:1].isupper()
            and s.rstrip(CLOSERS)[-1:] not in ("!", "?", "…", ".", "-", "–", "—")
            and s.count(",") <= 1  # a clause list is a sentence
            and _NOTE_LABEL.match(s) is None  # "UPDATE: ..." is an editor's note on the article
            and s.count(":") <= 1  # "Tested by: X Price: Y" is a fact box
            and _INNER_SENTENCE.search(s) is None  # two sentences are a paragraph that lost its full stop
            and _PARAGRAPH_END.search(following.strip()) is not None
        )


def _without(lines: list[str], drop: dict[int, str]) -> str:
    out: list[str] = []
    blank_between = False
    for i, line in enumerate(lines):
        if i in drop:
            continue
        if line.strip():
            if out:
                out.append("\n\n" if blank_between else "\n")
            out.append(line)
            blank_between = False
        else:
            blank_between = True
    return "".join(out)
