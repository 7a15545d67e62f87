"""Learn the sentence splitter's type statistics from unlabelled text (Punkt-style), as shipped data.

    .venv/bin/python benchmarks/train_sentence_stats.py            # writes cleaners/models/sentence_stats.json
    .venv/bin/python benchmarks/train_sentence_stats.py --check    # prints what changed, writes nothing

Why: the hand word lists know the abbreviations of style guides, not the ones a given kind of text
uses, and they say nothing about whether a capitalised word after an abbreviation opens a sentence
(``Inc. Shares fell``) or is a name (``Gen. Motors``). Kiss & Strunk's Punkt learns both from raw
text with no labels; this script does the same two passes and keeps only the statistics the rules
consult, so the rules stay explainable and the shipped file stays small:

1. **Abbreviation types.** Every word type seen with a final period is scored with Punkt's
   log-likelihood ratio (Dunning) that the period belongs to the word, times Punkt's length,
   internal-period and "seen without the period" factors. Types scoring >= ``--min-score`` and
   seen with the period at least ``--min-count`` times are kept, with their score.
2. **Orthographic context.** With those abbreviations, a first-pass segmentation (a line start,
   or the token after ``. ? !`` that does not follow an abbreviation or an initial) says which
   tokens open a sentence. For every word type the script counts how often it is written lower
   case and capitalised *inside* a sentence, and capitalised at a sentence start. A word that is
   almost always lower case inside sentences (``shares``) and capitalised after a period
   therefore marks a new sentence; a word capitalised inside sentences (``Motors``) does not.

Data: the unlabelled news in ``$BOILERCLEAN_SHARED/corpus`` (``news_dev.jsonl``, ``horne2017.jsonl``)
and the *text* (never the sentence labels) of the two UD dev halves
(``eval/sentences/ud_{ewt,gum}_test.dev.jsonl``). The ``*_devsplit.jsonl`` files, on which the
splitter is scored, are never read here. The output is deterministic for the same input.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
OUT = REPO / "cleaners" / "models" / "sentence_stats.json"
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.stages.sentences.words import (  # noqa: E402
    ABBREVIATIONS,
    NUMBER_ABBREVIATIONS,
    PREPOSITIVE,
)

SOURCES = [
    ("corpus/news_dev.jsonl", "text"),
    ("corpus/horne2017.jsonl", "text"),
    ("eval/sentences/ud_ewt_test.dev.jsonl", "text_paragraphs"),
    ("eval/sentences/ud_gum_test.dev.jsonl", "text_paragraphs"),
]
_OPENERS = "\"'“‘«([{<*"
_CLOSERS = "\"'”’»)]}>*"
_ABBREV_TYPE = re.compile(r"[a-z]+(?:\.[a-z]+)*")  # ``inc``, ``u.s``, ``ph.d``: letters with internal periods
_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")  # a word whose case says something: ``Shares``, ``shares``
_P_ABBREV = 0.99  # Punkt: the chance that an abbreviation is written with its period


def lines(paths: list[tuple[Path, str]]) -> Iterator[str]:
    """Every non-empty line of every text (a line start is a sentence start for the first pass)."""
    for path, field in paths:
        with path.open(encoding="utf-8") as f:
            for record in f:
                if record.strip():
                    for line in json.loads(record)[field].splitlines():
                        if line.strip():
                            yield line


def _core(token: str) -> str:
    return token.strip(_OPENERS).rstrip(_CLOSERS)


def dunning_log_likelihood(count_a: int, count_b: int, count_ab: int, n: int) -> float:
    """Punkt's test: is ``count_ab`` periods among ``count_a`` occurrences more than chance?"""
    p1 = count_b / n
    null = count_ab * math.log(p1) + (count_a - count_ab) * math.log(1.0 - p1)
    alt = count_ab * math.log(_P_ABBREV) + (count_a - count_ab) * math.log(1.0 - _P_ABBREV)
    return -2.0 * (null - alt)


def abbreviation_scores(texts: list[str], min_count: int) -> dict[str, float]:
    """Punkt's abbreviation score of every type seen with a final period ``min_count`` times or more."""
    with_period: Counter[str] = Counter()
    without: Counter[str] = Counter()
    tokens = periods = 0
    for line in texts:
        for token in line.split():
            core = _core(token).lower()
            if not core:
                continue
            tokens += 1
            if core.endswith(".") and not core.endswith(".."):
                periods += 1
                with_period[core[:-1]] += 1
            else:
                without[core] += 1
    scores = {}
    for typ, count in with_period.items():
        if count < min_count or not _ABBREV_TYPE.fullmatch(typ):
            continue
        internal = typ.count(".") + 1
        letters = len(typ) - internal + 1
        ll = dunning_log_likelihood(count + without[typ], periods, count, tokens)
        score = ll * math.exp(-letters) * internal * math.pow(letters, -without[typ])
        scores[typ] = score
    return scores


def orthography(texts: list[str], abbreviations: set[str]) -> dict[str, list[int]]:
    """Per lower-cased word: [lower case inside a sentence, capitalised inside, capitalised at a start]."""
    counts: dict[str, list[int]] = {}
    for line in texts:
        start = True
        for token in line.split():
            core = _core(token)
            m = _WORD.fullmatch(core.rstrip(".?!…,;:"))
            if m is not None:
                word = m.group()
                row = counts.setdefault(word.lower(), [0, 0, 0])
                if word[0].isupper():
                    row[2 if start else 1] += 1
                elif not start:
                    row[0] += 1
            stem = core.rstrip(".")
            start = core.endswith((".", "?", "!", "…")) and not (
                core.endswith(".")
                and (len(stem) == 1 or stem.lower() in abbreviations or (stem[-1:].isdigit() and len(stem) <= 2))
            )
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-score", type=float, default=0.3, help="Punkt's abbreviation threshold")
    ap.add_argument("--min-count", type=int, default=3, help="times a type must be seen with its period")
    ap.add_argument("--min-seen", type=int, default=3, help="times a word must be seen inside sentences to be kept")
    ap.add_argument("--check", action="store_true", help="print the differences with the shipped file only")
    args = ap.parse_args()
    paths = [(SHARED / rel, field) for rel, field in SOURCES]
    missing = [str(p) for p, _ in paths if not p.exists()]
    if missing:
        sys.exit(f"missing training data: {missing} (set BOILERCLEAN_SHARED)")
    texts = list(lines(paths))
    chars = sum(map(len, texts))

    scores = abbreviation_scores(texts, args.min_count)
    learned = {t: round(s, 3) for t, s in sorted(scores.items()) if s >= args.min_score}
    known = ABBREVIATIONS | PREPOSITIVE | NUMBER_ABBREVIATIONS
    ortho = orthography(texts, set(learned) | known)
    kept = {w: row for w, row in sorted(ortho.items()) if row[0] + row[1] >= args.min_seen}
    model = {
        "about": "Punkt-style type statistics for boilerclean's sentence splitter; made by "
        "benchmarks/train_sentence_stats.py (see its docstring for data and method).",
        "sources": [rel for rel, _ in SOURCES],
        "lines": len(texts),
        "chars": chars,
        "params": {"min_score": args.min_score, "min_count": args.min_count, "min_seen": args.min_seen},
        "abbreviations": learned,
        "orthography": {"columns": ["lower_inside", "upper_inside", "upper_at_start"], "words": kept},
    }
    new = set(learned) - known
    print(f"{len(texts)} lines, {chars / 1e6:.2f} M chars from {len(SOURCES)} sources")
    print(f"abbreviations: {len(learned)} learned, {len(new)} not in the hand lists: {' '.join(sorted(new))}")
    print(f"orthography: {len(kept)} word types kept of {len(ortho)}")
    if args.check:
        old = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        print("unchanged" if old == model else "the shipped file differs: run without --check to rewrite it")
        return
    OUT.write_text(
        json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
