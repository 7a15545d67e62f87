"""Whole-page text mode: clean the full visible text of real pages and score it against their article body.

    .venv/bin/python benchmarks/eval_textmode.py          # shipped model: in-sample on dev (it was trained there)
    .venv/bin/python benchmarks/eval_textmode.py --cv     # + honest numbers: each page cleaned by a model
                                                          #   trained without its host (5 folds by host)
    .venv/bin/python benchmarks/eval_textmode.py --config configs/news-text.yaml   # the one text chain:
                                                          #   gated select_main_text (mode auto) + gate check
    .venv/bin/python benchmarks/eval_textmode.py --readability   # gate check only, + the unseen set:
                                                          #   trafilatura's output of 130 readability pages

Input: ``$BOILERCLEAN_SHARED/eval/extraction/lines.jsonl`` (default <repo>/../shared): each page's
lines in ``line_no`` order joined with one newline, i.e. the page as a text scraper sees it, with
navigation, footers and comments. Systems printed side by side, all scored by that folder's
``score.py`` (4-token shingle F1, the article-extraction-benchmark metric):

* whole page as is, and the one-line rule (keep lines of >= 10 ``\\w+`` words ending in Unicode punctuation);
* ``configs/page-text.yaml`` (select_main_text + artifacts), and ``configs/news-text.yaml``
  (the extracted-text chain) when it loads;
* select_main_text alone with ``mode: always`` (no gate), the stage's own number.

Then the other side of the gate: news-text.yaml's stages up to select_main_text run on already-extracted
article text (newslines dev ``raw``, ``corpus/news_dev.jsonl``, ``corpus/horne2017.jsonl``, trafilatura's
output of the 91 dev pages), printing how many documents the gate let the stage act on and how many
lines and characters it removed there (want: 0). The unit tests add invented articles made of short lines.
``--readability`` adds the one set the gate was not built on: ``eval/readability/`` (130 pages of
Mozilla Readability's tests, many languages and layouts), each page's
``trafilatura.extract(html, include_comments=False, include_tables=True)``, the text an extractor
hands this chain (technical posts with code blocks, hard-wrapped plain-text documents, ...).

Stages are run through ``boilerclean.cleaners.config.load_config`` + ``boilerclean.cleaners.pipeline.clean_documents``;
segment_sentences is left out (the scorer reads tokens, not sentences). A rejected page is an
empty prediction. Predictions are written to ``--out`` (default: a temp dir) as {"id","text"}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
EXTRACTION = SHARED / "eval" / "extraction"
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.config import load_config, parse_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import clean_documents  # noqa: E402
from boilerclean.cleaners.stage import Rejected  # noqa: E402

SKIP = {"segment_sentences"}
RULE_END = regex.compile(r"\p{P}$")
WORD = regex.compile(r"\w+")


def load_pages() -> tuple[dict[str, str], dict[str, str]]:
    """page id -> whole-page text (lines in line_no order, one newline), and page id -> URL."""
    gt = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    lines: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with open(EXTRACTION / "lines.jsonl", encoding="utf-8") as f:
        for row in f:
            r = json.loads(row)
            lines[r["page_id"]].append((r["line_no"], r["text"]))
    texts = {pid: "\n".join(t for _, t in sorted(ls)) for pid, ls in sorted(lines.items())}
    return texts, {pid: gt[pid]["url"] for pid in texts}


def one_line_rule(text: str) -> str:
    return "\n".join(ln for ln in text.split("\n") if len(WORD.findall(ln)) >= 10 and RULE_END.search(ln.strip()))


def chain_from(config: Path, overrides: dict | None = None) -> list:
    """The config's stages minus SKIP, with per-stage parameter overrides ({stage: {param: value}})."""
    cfg = load_config(config)
    specs = []
    for spec in cfg.stages:
        if spec.name in SKIP:
            continue
        specs.append({"name": spec.name, **spec.params, **(overrides or {}).get(spec.name, {})})
    return parse_config({"stages": specs}, str(config)).build_stages()


def run(stages: list, texts: dict[str, str], urls: dict[str, str], timing: bool = False) -> dict[str, str]:
    docs = [Document(id=pid, text=texts[pid], url=urls[pid]) for pid in texts]
    results, reports = clean_documents(stages, docs)
    if timing:  # single run on a shared machine: indicative only
        mb = sum(len(t) for t in texts.values()) / 1e6
        for rep in reports:
            secs = max(rep["seconds"], 1e-9)
            rate = f"{rep['docs_in'] / secs:8.0f} pages/s  {mb / secs:6.2f} MB/s of input pages"
            print(f"  {rep['stage']:22s} {secs:6.2f} s  {rate}")
    for rep in reports:
        gate = {k: v for k, v in rep["counters"].items() if k.startswith("structure:gate_")}
        if gate:
            print(f"  {rep['stage']} gate: open on {gate.get('structure:gate_open', 0)} of {len(docs)} pages")
    return {r.id: r.text for r in results if not isinstance(r, Rejected)}


def score(name: str, preds: dict[str, str], out: Path) -> None:
    path = out / f"pred_{name}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for pid, text in preds.items():
            f.write(json.dumps({"id": pid, "text": text}, ensure_ascii=False) + "\n")
    cmd = [sys.executable, str(EXTRACTION / "score.py"), str(path)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    print(f"{name:34s} {res}")


def readability_outputs() -> list[dict]:
    """trafilatura's article text for each readability test page, as eval_lines_breadth.py extracts it."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from eval_lines_breadth import load_pages as readability_pages  # needs trafilatura: only for --readability

    return [{"id": name, "text": text} for name, text, _ in readability_pages()]


def gate_on_extracted(config: Path, samples: int = 3, readability: bool = False) -> None:
    """Documents and lines select_main_text acts on in already-extracted article text (it should pass them)."""
    stages = chain_from(config)
    names = [s.name for s in stages]
    if "select_main_text" not in names:
        print(f"gate check: {config.name} has no select_main_text")
        return
    stages = stages[: names.index("select_main_text") + 1]
    sets = {"newslines dev (raw)": (SHARED / "eval" / "newslines" / "dev_docs.jsonl", "raw", "doc_id")}
    for name in ("news_dev.jsonl", "horne2017.jsonl"):
        sets[f"corpus/{name}"] = (SHARED / "corpus" / name, "text", "id")
    sets["trafilatura output (91 pages)"] = (EXTRACTION / "trafilatura_lines.jsonl", "text", "id")
    if readability:
        sets["readability (unseen, trafilatura)"] = (SHARED / "eval" / "readability" / "pages", "text", "id")
    print(f"gate check: {' -> '.join(s.name for s in stages)} on extracted article text")
    for label, (path, key, id_key) in sets.items():
        if not path.exists():
            continue
        if path.name == "pages":
            recs = readability_outputs()
        elif path.name == "trafilatura_lines.jsonl":  # one record per line: rebuild each page's extracted text
            pages: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for row in map(json.loads, path.open(encoding="utf-8")):
                pages[row["page_id"]].append((row["line_no"], row["text"]))
            recs = [{"id": pid, "text": "\n".join(t for _, t in sorted(ls))} for pid, ls in sorted(pages.items())]
        else:
            recs = [json.loads(line) for line in path.open(encoding="utf-8")]
        docs = [Document(id=str(r[id_key]), text=r[key], url=r.get("url"), removals=[]) for r in recs]
        chars_in = sum(len(d.text or "") for d in docs)
        results, reports = clean_documents(stages, docs)
        rep = reports[-1]
        hit: dict[str, list[str]] = defaultdict(list)
        for item in results:
            doc = item.doc if isinstance(item, Rejected) else item
            for r in doc.removals or []:
                if r.rule.startswith("structure:"):
                    hit[doc.id].append(r.text)
        opened = rep["counters"].get("structure:gate_open", 0)
        print(
            f"  {label:34s} docs={len(docs):4d}  acted on={opened:3d}  rejected={sum(rep['rejected'].values()):3d}"
            f"  lines removed={sum(rep['lines_removed'].values()):4d}"
            f"  chars removed={sum(map(len, (t for ts in hit.values() for t in ts))):6d} of {chars_in}"
        )
        for doc_id, lines in list(hit.items())[:samples]:
            print(f"      {doc_id}: {len(lines)} lines, e.g. {' | '.join(t[:40] for t in lines[:3])}")


def cross_validated(texts: dict[str, str], urls: dict[str, str], config: Path, tmp: Path) -> dict[str, str]:
    """page-text chain where each page's select_main_text model was trained without its host's pages."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import train_page_text as train  # only needed for --cv

    pages = train.load_pages()
    feats = {i: train.page_features(pages[i]["lines"]) for i in pages}
    fold_of = {i: int(hashlib.sha1(pages[i]["host"].encode()).hexdigest(), 16) % train.FOLDS for i in pages}
    preds: dict[str, str] = {}
    for k in range(train.FOLDS):
        model = train.fit_two_stage([i for i in pages if fold_of[i] != k], feats, pages, fold_of)
        path = tmp / f"fold{k}.json"
        path.write_text(json.dumps(model), encoding="utf-8")
        held = {i: texts[i] for i in pages if fold_of[i] == k}
        preds.update(run(chain_from(config, {"select_main_text": {"model": str(path)}}), held, urls))
    return preds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(REPO / "configs" / "page-text.yaml"))
    ap.add_argument("--cv", action="store_true", help="also run the page-text chain with host-grouped CV models")
    ap.add_argument(
        "--readability", action="store_true", help="only the gate check, plus trafilatura's output of eval/readability"
    )
    ap.add_argument("--out", help="directory for the prediction files (default: a temp dir)")
    args = ap.parse_args()
    if not (EXTRACTION / "lines.jsonl").exists():
        sys.exit(f"{EXTRACTION / 'lines.jsonl'} not found (set BOILERCLEAN_SHARED)")
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="textmode-"))
    out.mkdir(parents=True, exist_ok=True)
    news = REPO / "configs" / "news-text.yaml"
    if args.readability:
        print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        gate_on_extracted(news, readability=True)
        return
    texts, urls = load_pages()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}   (pages={len(texts)}, out={out})")
    score("whole_page", texts, out)
    score("one_line_rule", {k: one_line_rule(v) for k, v in texts.items()}, out)
    config = Path(args.config)
    score(f"{config.stem} (in-sample model)", run(chain_from(config), texts, urls, timing=True), out)
    score(
        "select_main_text, mode always",
        run(parse_config({"stages": [{"name": "select_main_text", "mode": "always"}]}).build_stages(), texts, urls),
        out,
    )
    if args.cv:
        score(f"{config.stem} (host-grouped 5-fold CV)", cross_validated(texts, urls, config, out), out)
    try:
        score("news-text", run(chain_from(news), texts, urls), out)
    except Exception as exc:  # noqa: BLE001 - another helper's config may not load yet
        print(f"news-text                          not scored: {type(exc).__name__}: {exc}")
    gate_on_extracted(news)  # the gated chain: does select_main_text leave extracted articles alone?


if __name__ == "__main__":
    main()
