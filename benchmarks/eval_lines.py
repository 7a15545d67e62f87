"""Line-level debris removal on all labelled line data, leave-site-out: what remove_artifacts does on sites
it was never shown.

    .venv/bin/python benchmarks/eval_lines.py                   # rules only, shipped model, site-grouped CV
    .venv/bin/python benchmarks/eval_lines.py --per-site        # + one row per site
    .venv/bin/python benchmarks/eval_lines.py --families        # + recall per debris family
    .venv/bin/python benchmarks/eval_lines.py --sets trafilatura --misses 40   # + the debris left, by site

Sets (``benchmarks/linedata.py`` loads and labels them): newslines dev (scraped articles, 15 domains),
``trafilatura_lines.jsonl`` (trafilatura output of 91 pages, 63 sites) and ``lines.jsonl`` (the same
pages' whole visible text). Each is cleaned by the real chain, ``configs/news-text.yaml`` minus
segment_sentences (and ``configs/page-text.yaml`` too for whole pages), over all of a set's documents in
one run, so corpus stages (remove_repeated_lines) see every document of a site as a real run would.

Systems, side by side:

* ``rules``      - remove_artifacts with its line model switched off (``model: none``): the rules-only baseline;
* ``in-sample``  - the shipped model (``cleaners/models/artifact_lines.json``), trained on all of these sets;
* ``CV``         - the headline: every document is cleaned with a model trained by ``train_line_model.py``
  without its site's documents (``--folds`` folds grouped by site: sha1 of the site; the same site is in
  one fold in every set), its threshold calibrated by an inner grouped CV on the training folds only.

Columns: debris precision / recall (gold boilerplate and title lines; a debris line counts as removed when
its text is no longer a line of the output), content characters lost, pooled over the set's lines; ``sites
R>=.75`` is the share of sites (with debris) whose own recall reaches 0.75. Extraction sets also show the
leading debris lines by kind (headline, standfirst, byline: ``linedata.tag_lead``): the newslines guideline
keeps a standfirst as content, the extraction labels call it debris, so ``misses that are standfirsts``
says how much of the recall gap is that disagreement.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linedata
from eval_newslines import build_chain
from linedata import REPO, Case, Tally, score_case

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import Rejected
from boilerclean.cleaners.stages.artifacts.linemodel import DEFAULT_MODEL

NEWS = REPO / "configs" / "news-text.yaml"
PAGE = REPO / "configs" / "page-text.yaml"


def run_chain(stages: list, cases: list[Case]) -> dict[str, str]:
    """Clean the cases in one run; a rejected document predicts empty text."""
    docs = [
        Document(id=c.id, text=c.text, url=c.url, title=c.title, domain=c.site if c.dataset == "newslines" else None)
        for c in cases
    ]
    results, _ = clean_documents(stages, docs)
    preds = {c.id: "" for c in cases}
    for item in results:
        if not isinstance(item, Rejected):
            preds[item.id] = item.text
    return preds


def score_set(cases: list[Case], preds: dict[str, str]) -> tuple[Tally, dict[str, Tally], dict[str, list[str]]]:
    """Pooled tally, per-site tallies, and the debris lines left per site."""
    pooled, sites = Tally(), collections.defaultdict(Tally)
    left: dict[str, list[str]] = collections.defaultdict(list)
    for case in cases:
        tally, gone = score_case(case, preds.get(case.id, ""), family)
        pooled.add(tally)
        sites[case.site].add(tally)
        for g, was_gone in zip(case.gold, gone, strict=True):
            if g.debris and was_gone is False:
                left[case.site].append(f"[{family_of(case, g)}] {g.text}")
    return pooled, dict(sites), left


def fmt(x: float | None, digits: int = 3) -> str:
    return "  -  " if x is None else f"{x:.{digits}f}"


def row(name: str, t: Tally, sites: dict[str, Tally]) -> str:
    with_debris = [s for s in sites.values() if s.tp + s.fn]
    good = sum(1 for s in with_debris if (s.recall or 0) >= 0.75)
    return (
        f"  {name:28s} P {fmt(t.precision)}  R {fmt(t.recall)}  lost {fmt(100 * (t.lost_share or 0), 2)} %"
        f"   [TP {t.tp} FN {t.fn} FP {t.fp}]  sites R>=.75: {good}/{len(with_debris)}"
    )


# ------------------------------------------------------------------------------- debris families

# The family a gold debris line belongs to, read from its own words and position with generic patterns
# (written for this report, not taken from the data): recall per family says which kinds of debris a
# system misses. The first matching family wins; "other" is the rest.
_FAMILIES = [
    ("headline", None),
    ("standfirst", None),
    (
        "timestamp/byline",
        r"^(?:by|written by|posted|published|updated|last updated)\b|^\W*(?:\d{1,2}[/.:-]\d{1,2}|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}\b|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|"
        r"aug|sep|oct|nov|dec)\w*\b|\d{4}-\d\d-\d\d)|\b\d{1,2}:\d\d\b|\b(?:minutes?|hours?|days?) ago\b",
    ),
    (
        "newsletter/subscribe",
        r"newsletter|subscri|sign(?:ing)? up|inbox|e-?mail (?:address|updates|alerts)|"
        r"error processing|thanks? (?:you )?for (?:signing|subscribing)",
    ),
    ("donation/support", r"\bdonat|\bsupport (?:us|our|independent)|\bpatreon\b|\bmembership\b|\bbecome a member"),
    ("comments", r"\bcomments?\b|\brepl(?:y|ies)\b|\blog ?in\b|\bsign in\b|\bloading\b|\bupvote|\breport abuse"),
    (
        "social/share",
        r"\bshare\b|\bfollow (?:us|me|him|her|them)\b|facebook|twitter|instagram|linkedin|"
        r"whatsapp|pinterest|youtube|telegram|\btweet\b|^@\w+$",
    ),
    (
        "caption/credit",
        r"\b(?:photo|image|picture|illustration|graphic|video|credit|getty|reuters|shutterstock|"
        r"istock|associated press|afp)\b|^\(?(?:ap|afp)\)?\b",
    ),
    (
        "republication/licence",
        r"originally (?:published|appeared)|republish|reprint|\blicen[cs]e|copyright|©|"
        r"all rights reserved|appeared first|creative commons|permission",
    ),
    (
        "bio/contact",
        r"^[\p{Lu}][\w.'’-]+(?: [\p{Lu}][\w.'’-]+){0,3} (?:is|was|has been|writes|covers)\b|"
        r"\b(?:email|e-mail|contact|reach(?:ed)?) (?:him|her|them|me|us|at)\b|[\w.+-]+@[\w-]+\.\w+|\bcan be reached\b",
    ),
    (
        "related/read-also",
        r"^(?:related|read (?:also|more|next)|also (?:read|by|on)|see also|more (?:from|on|about)|"
        r"recommended|you (?:may|might) also|trending|most (?:read|popular))\b",
    ),
    ("teaser list", r"^\s*(?:[-–—•*·]|\d{1,2}[.)])\s+\S"),
    ("link", r"https?://|www\.|\.(?:com|org|net)\b"),
]
_COMPILED = [(name, regex.compile(p, regex.IGNORECASE) if p else None) for name, p in _FAMILIES]


def family_of(case: Case, g: linedata.Gold) -> str:
    if g.kind in ("title", "headline"):
        return "headline"
    if g.kind == "standfirst":
        return "standfirst"
    if g.kind == "byline":
        return "timestamp/byline"
    s = g.text.strip()
    for name, pattern in _COMPILED:
        if pattern is not None and pattern.search(s):
            return name
    if len(s.split()) <= 4:
        return "short label"
    return "other"


def family(case: Case, i: int) -> str:
    return family_of(case, case.gold[i])


# ------------------------------------------------------------------------------- systems


def systems(config: Path, cases: list[Case], args, cv_models: dict[int, Path] | None) -> dict[str, dict[str, str]]:
    """Predictions of each system for one config: rules only, shipped model, CV models."""
    out = {"rules": run_chain(build_chain(config, {"remove_artifacts": {"model": "none"}}), cases)}
    if not args.no_model:
        out["in-sample"] = run_chain(build_chain(config, {"remove_artifacts": {"model": DEFAULT_MODEL}}), cases)
    if cv_models:
        preds: dict[str, str] = {}
        for k, path in sorted(cv_models.items()):
            held = [c for c in cases if linedata.fold_of(c.site, args.folds) == k]
            if held:
                preds.update(run_chain(build_chain(config, {"remove_artifacts": {"model": str(path)}}), held))
        out["CV"] = preds
    return out


def train_cv(data: dict[str, list[Case]], folds: int, tmp: Path) -> dict[int, Path]:
    """One model per fold, trained without that fold's sites (train_line_model does the work)."""
    import train_line_model as train

    samples = train.collect(data)
    paths = {}
    for k in range(folds):
        model = train.fit_model([s for s in samples if linedata.fold_of(s.site, folds) != k])
        paths[k] = tmp / f"fold{k}.json"
        paths[k].write_text(json.dumps(model), encoding="utf-8")
        print(f"  fold {k}: threshold {model['threshold']:.3f}", file=sys.stderr)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(linedata.DATASETS), choices=linedata.DATASETS)
    ap.add_argument("--folds", type=int, default=5, help="CV folds, grouped by site")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated models")
    ap.add_argument("--no-model", action="store_true", help="rules only (no shipped model, no CV)")
    ap.add_argument("--per-site", action="store_true", help="one row per site")
    ap.add_argument("--families", action="store_true", help="recall per debris family")
    ap.add_argument("--misses", type=int, default=0, help="print up to N debris lines left (last system)")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args()
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    data = linedata.load(args.sets)
    if not data:
        sys.exit(f"no labelled line data under {linedata.SHARED} (set BOILERCLEAN_SHARED)")
    tmp = Path(tempfile.mkdtemp(prefix="eval-lines-"))
    cv_models = None
    if not (args.no_cv or args.no_model):
        everything = linedata.load(linedata.DATASETS)  # the model trains on every set; folds by site
        cv_models = train_cv(everything, args.folds, tmp)
    report: dict = {}
    for name, cases in data.items():
        configs = [NEWS, PAGE] if name == "pages" else [NEWS]
        for config in configs:
            print(f"\n=== {name}: {len(cases)} documents, {len({c.site for c in cases})} sites, chain {config.name}")
            results = systems(config, cases, args, cv_models)
            for system, preds in results.items():
                pooled, sites, left = score_set(cases, preds)
                print(row(system, pooled, sites))
                key = f"{name}/{config.stem}/{system}"
                report[key] = {
                    "precision": pooled.precision,
                    "recall": pooled.recall,
                    "lost_share": pooled.lost_share,
                    "tp": pooled.tp,
                    "fn": pooled.fn,
                    "fp": pooled.fp,
                }
                if name == "trafilatura":
                    kinds = collections.Counter()
                    for (fam, gone), k in pooled.by_kind.items():
                        kinds[fam, gone] += k
                    miss = {f: kinds[f, False] for f in ("headline", "standfirst")}
                    n_stand = kinds["standfirst", True] + kinds["standfirst", False]
                    tp, fn, fp = pooled.tp, pooled.fn, pooled.fp
                    # the newslines guideline: a standfirst is content, republication/copyright/credit/URL lines debris
                    # a removed standfirst is a true positive here and a false one by the guideline
                    stand_gone = kinds["standfirst", True]
                    r_guide = (tp - stand_gone) / max(tp + fn - n_stand, 1)
                    p_guide = (tp - stand_gone + pooled.fp_guideline) / max(tp + fp, 1)
                    lost_guide = pooled.lost_share_guideline or 0.0
                    print(
                        f"  {'':28s} misses that are standfirsts: {miss['standfirst']} of {fn}"
                        f" (headlines: {miss['headline']}; standfirst lines: {n_stand}, removed {stand_gone});"
                        f" false positives the newslines guideline calls debris: {pooled.fp_guideline} of {fp}"
                        f" -> by that guideline P {p_guide:.3f} R {r_guide:.3f} lost {100 * lost_guide:.2f} %"
                    )
                    report[key].update(
                        misses_standfirst=miss["standfirst"],
                        fp_guideline_debris=pooled.fp_guideline,
                        guideline_precision=p_guide,
                        guideline_recall=r_guide,
                        guideline_lost_share=lost_guide,
                    )
                if args.families:
                    print_families(pooled)
                if args.per_site:
                    for site, t in sorted(sites.items()):
                        print("    " + row(site[:26], t, {site: t}))
            if args.misses:
                shown = 0
                for site, lines in sorted(left.items()):
                    for line in lines:
                        if shown < args.misses:
                            print(f"    left {site[:24]:24s} {line[:140]}")
                            shown += 1
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


def print_families(t: Tally) -> None:
    fams = collections.defaultdict(lambda: [0, 0])
    for (fam, gone), k in t.by_kind.items():
        fams[fam][0 if gone else 1] += k
    parts = [f"{f} {r / (r + m):.2f} ({r}/{r + m})" for f, (r, m) in sorted(fams.items(), key=lambda x: -sum(x[1]))]
    print("      recall by family: " + "; ".join(parts))


if __name__ == "__main__":
    main()
