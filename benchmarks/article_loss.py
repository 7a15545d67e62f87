"""What the dataset chain does to every real article we have, and to generated junk.

Used by ``eval_quality.py real`` and ``eval_quality.py junk``; see ``real_articles.py`` for the
sets and ``junk.py`` for the junk kinds.

real: each set runs through the whole config chain on its own (a dataset built from that set),
so copies of one article in two sets (newslines' gold is a cleaned corpus article) never meet.
Population: articles whose input has more than 80 words. For the English ones:

  * the chain's verdict: every rejection by a quality or language rule is listed with its rule,
    value and threshold (the target: at most 0.5 % of them); other rejections (emptied by
    cleaning, exact duplicates inside a set) are listed apart;
  * each rule on its own (``QualityFilter.measure``) on the text as ``quality_filter`` receives
    it: per rule, how many articles it would reject and the closest call (value / threshold);
  * language under hard openings: the same English articles with an all-caps heading, a line of
    names and scores on top, cut to a few short paragraphs; how many the stage would reject.

For the non-English articles the language stage should say ``not_kept``: counted as well.
"""

from __future__ import annotations

import collections
import random
import re
from pathlib import Path

import junk
import real_articles

from boilerclean.cleaners.config import load_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import Reject, Rejected, StageLog

RULE_PREFIXES = ("quality:", "language:")
_NAME = re.compile(r"\b[A-Z][a-z]+\b")


def _docs(arts: list[real_articles.Article]) -> list[Document]:
    return [Document(id=a.id, text=a.text, url=a.url, domain=a.domain, title=a.title) for a in arts]


def _outcomes(stages: list, arts: list[real_articles.Article]) -> dict[str, Document | Rejected]:
    results, _ = clean_documents(stages, _docs(arts))
    return {r.doc.id if isinstance(r, Rejected) else r.id: r for r in results}


def hard_openings(text: str, rng: random.Random) -> dict[str, str]:
    """The same article as scrapers hand it over at its least prose-like (invented transformations)."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    names = _NAME.findall(text) or ["Smith"]
    scores = " ".join(f"{rng.randint(0, 99)}-{rng.randint(0, 99)}" for _ in range(12))
    return {
        "all-caps heading and first paragraph": "LATEST UPDATE\n\n" + "\n\n".join([paras[0].upper(), *paras[1:]]),
        "names and scores on top": ", ".join(rng.choices(names, k=10)) + "\n\n" + scores + "\n\n" + text,
        "three 12-word paragraphs": "\n\n".join(" ".join(p.split()[:12]) for p in paras[:3]),
        "all in capitals": text.upper(),
    }


def real(config: Path, sets: tuple[str, ...]) -> None:
    cfg = load_config(config)
    stages = cfg.build_stages()
    names = [st.name for st in stages]
    quality = stages[names.index("quality_filter")] if "quality_filter" in names else None
    language = stages[names.index("language")] if "language" in names else None
    # the text each rule sees: the chain up to quality_filter, language left out (it changes no text)
    upto = names.index("quality_filter") if quality else len(stages)
    before = [st for st in stages[:upto] if st.name != "language"]
    listed: list[tuple] = []
    others: list[tuple] = []
    per_rule: dict[str, list[tuple[float, str, float, float]]] = collections.defaultdict(list)
    lang_counts: collections.Counter = collections.Counter()
    hard: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    population = collections.Counter()
    for name in sets:
        arts = real_articles.load((name,))
        if not arts:
            print(f"{name}: not available")
            continue
        long_ones = {a.id: a for a in arts if a.words > 80}
        chain = _outcomes(stages, arts)
        seen = _outcomes(before, arts)
        for doc_id, art in long_ones.items():
            population[(name, art.english)] += 1
            item = chain[doc_id]
            if isinstance(item, Rejected):
                row = (name, doc_id, art.words, item.reason, _details(item.details))
                if not art.english:
                    lang_counts[item.reason] += 1
                elif item.reason.startswith(RULE_PREFIXES):
                    listed.append(row)
                else:
                    others.append(row)
            elif not art.english:
                lang_counts["kept"] += 1
            text_item = seen.get(doc_id)
            if not art.english or isinstance(text_item, Rejected) or text_item is None:
                continue
            if quality is not None and hasattr(quality, "measure"):  # (older versions: chain verdicts only)
                for rule, value, threshold, fails in quality.measure(text_item.text):
                    per_rule[rule].append((_closeness(value, threshold, rule), doc_id, value, threshold, fails))
            if language is not None:
                rng = random.Random(doc_id)
                for variant, text in hard_openings(text_item.text, rng).items():
                    hard[variant][_language_verdict(language, text)] += 1
    english = sum(n for (_, en), n in population.items() if en)
    print(f"articles > 80 words: {dict(sorted(population.items()))} ((set, English): count)")
    print("\nCHAIN: English articles > 80 words rejected by a quality or language rule")
    for name in sets:
        n_set = population[(name, True)]
        hits = sum(1 for row in listed if row[0] == name)
        print(f"  {name:11s} {hits:3d} / {n_set:3d} = {hits / max(1, n_set):6.2%}")
    print(f"  {'all':11s} {len(listed):3d} / {english:3d} = {len(listed) / max(1, english):6.2%}")
    for row in listed:
        print(f"  {row[0]:11s} {row[1]:32s} {row[2]:5d} words  {row[3]}  {row[4]}")
    print(f"  rejected otherwise (not by a quality or language rule): {len(others)}")
    for row in others:
        print(f"  {row[0]:11s} {row[1]:32s} {row[2]:5d} words  {row[3]}  {row[4]}")
    print(f"  non-English articles > 80 words: {dict(lang_counts)}")
    print("\nEACH RULE ON ITS OWN (text as quality_filter receives it), English articles > 80 words:")
    print(f"  {'rule':32s} {'rejects':>8s} {'rate':>7s}   closest calls (value vs threshold)")
    for rule in sorted(per_rule):
        rows = sorted(per_rule[rule])
        fails = [r for r in rows if r[4]]
        close = ", ".join(f"{r[1]} {r[2]:g}/{r[3]:g}" for r in rows[:2])
        print(f"  {rule:32s} {len(fails):8d} {len(fails) / max(1, len(rows)):7.2%}   {close}")
    print("\nLANGUAGE UNDER HARD OPENINGS (English articles > 80 words):")
    for variant, counts in hard.items():
        total = sum(counts.values())
        bad = sum(v for k, v in counts.items() if k != "kept")
        print(f"  {variant:40s} rejected {bad:3d} / {total} = {bad / max(1, total):6.2%}  {dict(counts)}")


def _details(details: dict) -> dict:
    return {k: details[k] for k in ("value", "threshold", "confidence", "duplicate_of") if k in details}


def _closeness(value: float, threshold: float, rule: str) -> float:
    """Value over threshold, oriented so that smaller is closer to rejection (< 1 rejects)."""
    low = rule.endswith(("_short_doc", "_alpha_words", "_stop_words", "_line_punct", "_few_sentences"))
    low = low or rule.endswith("word_length_low")
    if low:
        return value / threshold if threshold else float("inf")
    return threshold / value if value else float("inf")


def _language_verdict(stage, text: str) -> str:
    try:
        stage.apply(Document(id="x", text=text), StageLog(stage.name))
    except Reject as r:
        return r.reason
    return "kept"


def junk_check(config: Path, per_kind: int) -> None:
    stages = load_config(config).build_stages()
    docs = junk.documents(per_kind)
    results, _ = clean_documents(stages, [Document(id=i, text=t) for _, i, t in docs])
    verdict = {r.doc.id if isinstance(r, Rejected) else r.id: r for r in results}
    caught_all = 0
    print(f"generated junk, {per_kind} documents per kind, through {config.name}:")
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for kind, doc_id, _ in docs:
        item = verdict[doc_id]
        by_kind[kind][item.reason if isinstance(item, Rejected) else "KEPT"] += 1
    for kind, counts in by_kind.items():
        caught = sum(v for k, v in counts.items() if k != "KEPT")
        caught_all += caught
        print(f"  {kind:12s} caught {caught:3d} / {sum(counts.values())}  {dict(counts)}")
    print(f"  all: {caught_all} / {len(docs)}")
