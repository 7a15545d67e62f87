"""The measurements behind ``quality_filter``: tokens, terminal punctuation, repetition.

Kept apart from the stage so each rule reads as a formula and can be tested on its own.

Why not spaCy: datatrove tokenises with a blank spaCy English pipeline and spends ~84 % of its
quality-filter time there. The rules only need word counts, lengths and n-gram identity, and
one regex pass gives the same word boundaries for all that matters: runs of word characters
(keeping ``don't``, ``3.5``, ``1,000`` whole), each CJK ideograph / kana as a word of its own
(those scripts do not separate words with spaces). Punctuation tokens are counted, not listed:
every non-space character outside a word is one. Counts differ from spaCy's by a few percent
on English (spaCy splits ``don't`` in two, keeps ``U.S.`` whole, makes ``...`` one token);
the thresholds of the field are far coarser than that. Gopher's n-grams are built on words
only (spaCy's include punctuation tokens), which makes ``, and``-style n-grams disappear.
"""

from __future__ import annotations

import re
from itertools import filterfalse

import numpy as np

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAS_CJK = re.compile(f"[{_CJK}]").search
# word runs; where CJK occurs, each ideograph / kana is a word of its own
# one inner separator at most: ``don't``, ``3.5``, ``1,000`` stay whole, ``1,000,000`` is two
# words; the unbounded form is 40 % slower and this is the hottest regex of the stage
WORD_RE = re.compile(r"\w+(?:['’.,]\w+)?")
WORD_CJK_RE = re.compile(rf"[^\W{_CJK}]+(?:['’.,][^\W{_CJK}]+)?|[{_CJK}]")

# Sentence-final marks (datatrove's TERMINAL_PUNCTUATION, the scripts with real traffic, plus
# the ellipsis), and what may legitimately close a sentence after them: quotes and brackets.
# ``He said “stop.”`` ends a sentence; datatrove's C4 and FineWeb rules both miss it.
TERMINALS = frozenset(".!?…‼‽⁇⁈⁉⸮⸼。！？｡։؝؞؟۔܀܁܂߹।॥၊။።፧፨᙮។៕᠃᠉꓿꘎꘏꛳꛷")
CLOSERS = "\"'”’»›)]}）］｝」』】〉》"
QUOTES = frozenset("\"'”’»")
# a sentence boundary inside a line: terminal mark(s), optional closers, blanks, then more text
_SENTENCE_BREAK = re.compile(rf"[.!?…。！？][{re.escape(CLOSERS)}]*[ \t]+(?=\S)")

CITATION_RE = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
POLICY_RE = re.compile("terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies")


def has_policy_phrase(low: str) -> bool:
    """C4's policy phrases in lower-cased text; plain substring tests first (an alternation scan is slow)."""
    return ("polic" in low or "cookie" in low or "terms of use" in low) and POLICY_RE.search(low) is not None


STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


# a short bracketed reference after the full stop: "... in 1998. [3]", "... was lost. [Book II / ch. 4]"
_TRAILING_REF = re.compile(r"\s*(?:\[[^\[\]]{1,40}\]|\([^()]{1,40}\))$")


def ends_sentence(line: str) -> bool:
    """FineWeb's test, fixed: a terminal mark, optionally followed by closing quotes/brackets or by a short
    bracketed reference (citations, sources, cross-references): a text that cites after every paragraph is
    prose, and FineWeb's test would call every one of its lines unfinished."""
    line = line.rstrip()
    core = line.rstrip(CLOSERS)
    if core and core[-1] in TERMINALS:
        return True
    if line.endswith(("]", ")")) and (ref := _TRAILING_REF.search(line)) and ref.start():
        core = line[: ref.start()].rstrip().rstrip(CLOSERS)
        return bool(core) and core[-1] in TERMINALS
    return False


def c4_terminal(line: str) -> bool:
    """C4's test (``. ? ! " '``, not ``...``), fixed for curly quotes and closing brackets."""
    line = line.rstrip()
    if not line or line.endswith(("...", "…")):
        return False
    return line[-1] in QUOTES or ends_sentence(line)


def count_sentences(text: str, n_lines: int) -> int:
    """Sentences in ``n_lines`` non-empty lines: one per line plus the breaks inside lines.

    ``Mr. X`` counts as a break, so this errs towards more sentences (towards keeping).
    """
    return n_lines + len(_SENTENCE_BREAK.findall(text))


class TextStats:
    """Words and token count of a text, computed once and shared by the families.

    ``n_tokens`` counts words plus every non-space character outside them (punctuation
    tokens, as spaCy makes them; ``...`` counts three).
    """

    __slots__ = ("n_tokens", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: list[str] = (WORD_CJK_RE if HAS_CJK(text) else WORD_RE).findall(text)
        non_space = len(text) - sum(map(text.count, " \n\t\r\xa0"))
        self.n_tokens = len(self.words) + max(0, non_space - sum(map(len, self.words)))

    def alpha_words(self) -> int:
        """Words with at least one letter: all-letter words counted in C, the few others one by one."""
        words = self.words
        others = list(filterfalse(str.isalpha, words))
        return len(words) - len(others) + sum(1 for word in others if any(map(str.isalpha, word)))


def alpha_share_of_words(text: str) -> float:
    """Share of white-space separated words with at least one letter (punctuation stays on its word).

    Counted in C for the common case: a word that ``isalpha`` as a whole needs no per-character test.
    """
    words = text.split()
    if not words:
        return 0.0
    others = list(filterfalse(str.isalpha, words))
    alpha = len(words) - len(others) + sum(1 for word in others if any(map(str.isalpha, word)))
    return alpha / len(words)


DOUBLED_MIN_WORDS = 8  # shorter repeated paragraphs (separators, pull quotes) are left to the line rules


def collapse_doubled(text: str) -> tuple[str, list[str]]:
    """(text, removed paragraphs): later copies dropped when the text carries its paragraphs twice.

    A scraped page sometimes holds its article twice (a video description above the body, an AMP
    copy): every repeated paragraph of 8+ words occurs exactly twice. Spam loops a paragraph three
    times or more; such a text, or one without repeats, comes back unchanged for the rules to judge.
    """
    if "\n\n" not in text:
        return text, []
    paragraphs = text.split("\n\n")
    counts: dict[str, int] = {}
    for para in paragraphs:
        key = para.strip()
        if len(key.split()) >= DOUBLED_MIN_WORDS:
            counts[key] = counts.get(key, 0) + 1
    if not counts or max(counts.values()) != 2:
        return text, []
    seen: set[str] = set()
    kept, removed = [], []
    for para in paragraphs:
        key = para.strip()
        if counts.get(key) == 2 and key in seen:
            removed.append(para)
            continue
        seen.add(key)
        kept.append(para)
    return "\n\n".join(kept), removed


def find_duplicates(items: list[str]) -> tuple[int, int]:
    """(number, characters) of items that repeat an earlier item (Gopher's definition)."""
    seen: set[str] = set()
    dup_n = dup_chars = 0
    for item in items:
        if item in seen:
            dup_n += 1
            dup_chars += len(item)
        else:
            seen.add(item)
    return dup_n, dup_chars


class NgramStats:
    """Char shares of the top / duplicated word n-grams, as Gopher defines them.

    ``top_chars(n)``: characters of the most frequent n-gram (``" ".join``) times its count;
    ``dup_chars(n)``: characters of n-grams (``"".join``) already seen, scanning left to right
    and skipping past each duplicate (datatrove's ``find_all_duplicate``).

    n-grams are 64-bit rolling hashes of Python's string hash: only equality within one
    document matters, so per-process hash seeds do not change any decision (a 64-bit collision
    inside one document is the only way they could). Both measures first compute a cheap upper
    bound and only do the exact work when the bound crosses the caller's limit.
    """

    _MUL = np.uint64(0x100000001B3)

    def __init__(self, words: list[str]) -> None:
        self.n = len(words)
        self._hashes = np.fromiter(map(hash, words), np.int64, self.n).view(np.uint64)
        self._cum = np.zeros(self.n + 1, np.int64)
        if words:
            np.cumsum(np.fromiter(map(len, words), np.int64, self.n), out=self._cum[1:])
        self._grams: dict[int, np.ndarray] = {1: self._hashes}
        self._repeat: tuple[int, np.ndarray | None] | None = None
        self._top_count: tuple[int, int] | None = None

    def _ngrams(self, n: int) -> np.ndarray:
        if n not in self._grams:
            self._grams[n] = self._ngrams(n - 1)[:-1] * self._MUL + self._hashes[n - 1 :]
        return self._grams[n]

    def _chars(self, n: int) -> np.ndarray:
        """Characters of each n-gram's words, separators not counted."""
        return self._cum[n:] - self._cum[:-n]

    def top_chars(self, n: int, limit: float | None = None) -> int:
        if self.n < n:
            return 0
        chars = self._chars(n)
        # an n-gram is never more frequent than its prefix (n-1)-gram: bound without sorting
        known = self._top_count
        if limit is not None and known is not None and known[0] <= n and known[1] * (int(chars.max()) + n - 1) <= limit:
            return 0
        grams = np.sort(self._ngrams(n))
        breaks = np.flatnonzero(grams[1:] != grams[:-1])
        best = int(np.diff(np.concatenate(([-1], breaks, [len(grams) - 1]))).max())
        self._top_count = (n, best)
        if limit is not None and best * (int(chars.max()) + n - 1) <= limit:
            return 0
        _, first, counts = np.unique(self._ngrams(n), return_index=True, return_counts=True)
        # Counter.most_common breaks ties by first insertion: the earliest of the most frequent
        pos = int(first[counts == best].min())
        return int(chars[pos] + n - 1) * best

    def _repeat_mask(self, n: int) -> np.ndarray | None:
        """Positions whose n-gram occurred earlier (exact for the first n asked, a superset above
        it), or None when nothing repeats.

        An n-gram can only repeat where all its shorter sub-grams repeat, so the mask for n + 1
        is the mask for n and-ed with itself shifted by one: no further sorting.
        """
        if self._repeat is None or self._repeat[0] > n:
            grams = self._ngrams(n)
            ordered = np.sort(grams)
            if not (ordered[1:] == ordered[:-1]).any():
                self._repeat = (n, None)
                return None
            _, first, inverse = np.unique(grams, return_index=True, return_inverse=True)
            self._repeat = (n, first[inverse] != np.arange(len(grams)))
        have, mask = self._repeat
        if mask is None:
            return None
        while have < n:
            mask = mask[:-1] & mask[1:]
            have += 1
            self._repeat = (have, mask)
        return mask

    def dup_chars(self, n: int, limit: float | None = None) -> int:
        if self.n < n:
            return 0
        mask = self._repeat_mask(n)
        if mask is None or not mask.any():
            return 0
        chars = self._chars(n)
        if limit is not None and int(chars[mask].sum()) <= limit:
            return 0  # every greedy hit is a repeat: the bound is under the limit
        seen: set[int] = set()
        total, idx, stop = 0, 0, self.n - n + 1
        keys = self._ngrams(n).tolist()
        while idx < stop:
            key = keys[idx]
            if key in seen:
                total += int(chars[idx])
                idx += n
            else:
                seen.add(key)
                idx += 1
        return total


_NEWLINE_RUN = re.compile(r"\n+")


def newline_split(text: str) -> list[str]:
    """``re.split(r"\\n+", text)`` (Gopher's lines), via C-level ``str.split`` and ``filter``."""
    lines = list(filter(None, text.split("\n")))
    if text.startswith("\n") or not text:
        lines.insert(0, "")
    if text.endswith("\n"):
        lines.append("")
    return lines


def newline_runs(text: str) -> int:
    """Line breaks with blank lines collapsed: a paragraph separator counts once."""
    if "\n\n\n" in text:
        return len(_NEWLINE_RUN.findall(text))
    return text.count("\n") - text.count("\n\n")


def longest_word(text: str) -> int:
    return max(map(len, text.split()), default=0)
