"""The learned half of the sentence splitter's knowledge: Punkt-style type statistics, shipped as data.

``cleaners/models/sentence_stats.json`` is made by ``benchmarks/train_sentence_stats.py`` from
unlabelled text (its docstring names the data and the method). Two questions are answered from it:

- is a type an abbreviation (its period belongs to it), beyond the hand lists in ``words``;
- does a capitalised word after an abbreviation open a new sentence? Only when the word is written
  lower case inside sentences nearly always, so its capital letter can only come from a sentence
  start (``Inc. Shares``); a name, or a word seen too rarely to tell, gets no such evidence.

Both answers are "no" for anything the statistics do not know, so the splitter then does what the
word lists alone would do: safe by construction.
"""

from __future__ import annotations

import json
from functools import cache

from boilerclean.cleaners.resources import MODELS_DIR

STATS_FILE = MODELS_DIR / "sentence_stats.json"
# A capital letter means a sentence start only for words seen inside sentences this many times,
# and capitalised there at most this share of them (headlines and names make up the rest).
MIN_SEEN = 5
MAX_CAPITALISED_INSIDE = 0.1


@cache
def _model() -> tuple[frozenset[str], frozenset[str]]:
    """(learned abbreviation types, lower-cased words whose capital letter marks a sentence start)."""
    data = json.loads(STATS_FILE.read_text(encoding="utf-8"))
    abbreviations = frozenset(data["abbreviations"])
    opens = set()
    for word, (lower_inside, upper_inside, _at_start) in data["orthography"]["words"].items():
        seen = lower_inside + upper_inside
        if seen >= MIN_SEEN and upper_inside <= MAX_CAPITALISED_INSIDE * seen:
            opens.add(word)
    return abbreviations, frozenset(opens)


def learned_abbreviations() -> frozenset[str]:
    """The lower-cased types (no final period) that scored as abbreviations in the training text."""
    return _model()[0]


def capital_opens_sentence(word: str) -> bool:
    """Whether a capitalised ``word`` is, by the statistics, a lower-case word opening a sentence."""
    return word[0].isupper() and word[1:].islower() and word.lower() in _model()[1]
