"""Near-duplicate recall on planted copies of real articles, false merges on distinct ones, and the curve.

    .venv/bin/python benchmarks/eval_neardup.py                      # configs/dataset.yaml, both host setups
    .venv/bin/python benchmarks/eval_neardup.py --curve              # + recall / false merges per setting
    .venv/bin/python benchmarks/eval_neardup.py --hosts mirror --kinds "drop 1 + 1.5% + debris 1+1"
    .venv/bin/python benchmarks/eval_neardup.py --sets readability   # sources no setting was chosen on

Sources: every article of ../shared/corpus (raw scraped text) and the extraction ground truth
(``real_articles.py``), in that order. Steps:

1. The whole config chain on the sources alone: every ``dedup:near`` there merges two *distinct*
   articles (the corpus's identical pages go to ``dedup:exact``), so it is a false merge; each one
   is listed with its measures.
2. Eligible sources: those the chain keeps alone with more than 80 words left. For each kind of
   change (``plant.py``: debris, dropped or added paragraphs, word edits, reflow, and the issue's
   combination, several strengths each) a copy of every eligible source is appended after all
   sources and the whole chain runs again on sources + copies (one run per kind, so copies of
   one source never meet). A copy is *caught* when it is rejected ``dedup:*`` with
   ``duplicate_of`` = its source; ``wrong`` = merged with another article (a false merge);
   ``kept`` = missed; any other rejection is listed by reason.
   ``--hosts same``: the copy keeps its source's URL and domain (an update or a mirror on the same
   site); ``mirror``: each copy on a host of its own (syndication). ``both`` runs both.
3. ``--curve``: for shingle sizes 3/4/5 and the config's other settings, the MinHash estimates of
   every planted pair and every pair of distinct sources, as the stage sees their text, and
   per threshold the recall per kind and the distinct pairs that would merge; plus the error of
   the estimates against exact set arithmetic.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import plant  # noqa: E402
import real_articles  # noqa: E402

from boilerclean.cleaners.config import load_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import Pipeline, clean_documents  # noqa: E402
from boilerclean.cleaners.stage import Rejected  # noqa: E402


def fresh(doc: Document) -> Document:
    """A copy the stages may mutate (they change ``text`` and ``metadata`` in place)."""
    return Document(id=doc.id, text=doc.text, url=doc.url, domain=doc.domain, title=doc.title, raw=doc.raw)


class Chain:
    """The config's chain, its per-document head run once per document and the rest per experiment."""

    def __init__(self, config: Path) -> None:
        self.stages = load_config(config).build_stages()
        segments = Pipeline(self.stages).segments()
        self.head = segments[0].stages if segments[0].corpus_stage is None else []
        self.tail = self.stages[len(self.head) :]
        self._cache: dict[str, Document | Rejected] = {}

    def prepare(self, docs: list[Document]) -> None:
        todo = [fresh(d) for d in docs if d.id not in self._cache]
        results, _ = clean_documents(self.head, todo)
        for item in results:
            self._cache[item.doc.id if isinstance(item, Rejected) else item.id] = item

    def run(self, docs: list[Document], stages: list | None = None) -> dict[str, Document | Rejected]:
        """Outcome per id of the whole chain (``stages``: a prefix of the tail) over ``docs``, in order."""
        self.prepare(docs)
        out: dict[str, Document | Rejected] = {}
        alive = []
        for d in docs:
            item = self._cache[d.id]
            if isinstance(item, Rejected):
                out[d.id] = item
            else:
                alive.append(fresh(item))
        results, _ = clean_documents(self.tail if stages is None else stages, alive)
        for item in results:
            out[item.doc.id if isinstance(item, Rejected) else item.id] = item
        return out


def sources(sets: tuple[str, ...] = ("corpus", "extraction")) -> list[Document]:
    arts = real_articles.load(sets)
    return [Document(id=a.id, text=a.text, url=a.url, domain=a.domain, title=a.title) for a in arts]


def outcome(item: Document | Rejected, source: str) -> str:
    if not isinstance(item, Rejected):
        return "kept"
    if item.reason.startswith("dedup:"):
        return "caught" if item.details.get("duplicate_of") == source else "wrong"
    return item.reason


def make_copies(kind: plant.Kind, eligible: list[Document], cleaned: dict[str, str], host: str) -> list:
    donors = [cleaned[d.id] for d in eligible]
    copies = []
    for n, src in enumerate(eligible):
        clean = cleaned[src.id]

        def content(par: str, clean: str = clean) -> bool:
            return " ".join(par.split())[:60] in clean

        if sum(map(content, plant.paragraphs(src.text))) < kind.min_paragraphs:
            continue
        rng = random.Random(f"{kind.name}/{src.id}")
        text = kind.make(src.text, rng, donors, content)
        same = host == "same"
        doc = Document(
            id=f"copy:{host}:{kind.name}:{src.id}",
            text=text,
            url=src.url if same else None,
            domain=src.domain if same else f"mirror{n}.example",
            title=src.title,
        )
        copies.append((doc, src.id))
    return copies


def false_merges(chain: Chain, docs: list[Document]) -> tuple[dict, list]:
    out = chain.run(docs)
    merges = [r for r in out.values() if isinstance(r, Rejected) and r.reason == "dedup:near"]
    kept = sum(not isinstance(r, Rejected) for r in out.values())
    print(f"\n1. the chain on the {len(docs)} sources alone: {kept} kept")
    counts = collections.Counter(r.reason for r in out.values() if isinstance(r, Rejected))
    print(f"   rejected: {dict(sorted(counts.items()))}")
    print(f"   FALSE MERGES (dedup:near between distinct sources): {len(merges)}")
    for r in merges:
        print(f"     {r.doc.id} -> {r.details}")
    return out, merges


def recall(chain: Chain, docs: list[Document], eligible: list[Document], cleaned: dict, hosts: list, kinds) -> dict:
    print("\n2. planted copies: caught / eligible (missed, wrong merges, other rejections; sources lost)")
    table = {}
    for host in hosts:
        print(f"\n   copies on {'the source host' if host == 'same' else 'a host of their own'} ({host}):")
        for kind in kinds:
            copies = make_copies(kind, eligible, cleaned, host)
            out = chain.run(docs + [c for c, _ in copies])
            got = collections.Counter(outcome(out[c.id], src) for c, src in copies)
            lost = collections.Counter(out[d.id].reason for d in eligible if isinstance(out[d.id], Rejected))
            n = len(copies)
            table[(host, kind.name)] = (got["caught"], n)
            others = {k: v for k, v in got.items() if k not in ("caught", "kept", "wrong")}
            gone = n - got["kept"] - got["wrong"]
            print(
                f"   {kind.name:28s} {got['caught']:4d} / {n:4d} = {got['caught'] / max(1, n):6.1%}"
                f"  (not in output {gone / max(1, n):6.1%})   missed {got['kept']:3d}  wrong {got['wrong']}"
                f"  other {others or '-'}  sources lost {dict(lost) or 0}"
            )
    return table


def curve(chain: Chain, docs: list[Document], eligible: list[Document], cleaned: dict, kinds, cfg_near) -> None:
    """Estimates of planted and distinct pairs on the text dedup_near sees: the settings' curve."""
    from boilerclean.cleaners.stages.dedup.minhash import MinHasher, containment, jaccard, shingles
    from boilerclean.cleaners.stages.dedup.near import DedupNear, DedupNearParams, band_keys

    cut = next(i for i, st in enumerate(chain.tail) if st.name == "dedup_near")
    before = chain.tail[:cut]
    texts = {k: v.text for k, v in chain.run(docs, before).items() if not isinstance(v, Rejected)}
    distinct = [d.id for d in docs if d.id in texts]
    pairs: dict[str, list[tuple[str, str]]] = {}
    for kind in kinds:
        copies = make_copies(kind, eligible, cleaned, "mirror")
        out = chain.run(docs + [c for c, _ in copies], before)
        pairs[kind.name] = []
        for c, src in copies:
            if not isinstance(out.get(c.id), Rejected) and src in texts:
                texts[c.id] = out[c.id].text
                pairs[kind.name].append((src, c.id))
    print(
        f"\n3. curve, on the text dedup_near sees: {len(distinct)} distinct sources (every pair of them) and "
        f"the planted pairs that reach dedup_near (copies dedup_exact or a filter removed are not in it):"
    )
    print("   " + ", ".join(f"{name} {len(p)}" for name, p in pairs.items()))
    floor = cfg_near.get("containment_min_jaccard", 0.0)
    grid = [(tj, tc) for tj in (0.5, 0.6, 0.7, 0.8) for tc in (None, 0.75, 0.8, 0.85, 0.9)]
    for k in (3, 4, 5):
        stage = DedupNear(DedupNearParams(**{**cfg_near, "shingle": k}))
        sk = {i: stage.sketch(t) for i, t in texts.items()}
        ids = [i for i in distinct if sk.get(i) is not None]
        sigs = np.stack([sk[i][0] for i in ids])
        sizes = np.array([sk[i][1] for i in ids], np.float64)
        rows = [(jaccard(sigs[a], sigs[:a]), sizes[a]) for a in range(1, len(ids))]
        per_rows = [(j, containment(j, sizes[: len(j)], size)) for j, size in rows]
        top_j = max(float(j.max()) for j, _ in per_rows)
        top_c = max(float(c[j >= floor].max(initial=0)) for j, c in per_rows)
        print(
            f"\n   shingle {k}, {stage.params.num_perm} permutations: highest estimates between distinct sources "
            f"J {top_j:.3f}, containment (where J >= {floor}) {top_c:.3f}"
        )
        per_kind = {}
        for name, plist in pairs.items():
            ok = [(p, q) for p, q in plist if sk.get(p) is not None and sk.get(q) is not None]
            j = np.array([float(jaccard(sk[p][0], sk[q][0])) for p, q in ok])
            c = np.array([float(containment(jj, sk[p][1], sk[q][1])) for jj, (p, q) in zip(j, ok, strict=True)])
            per_kind[name] = (j, c)
        names = [n for n in per_kind if len(per_kind[n][0])]
        print("   J >=   C >=  distinct merged | " + " | ".join(f"{n[:12]:>12s}" for n in names))
        for tj, tc in grid:
            merged = 0
            for j, c in per_rows:
                hit = j >= tj
                if tc is not None:
                    hit |= (c >= tc) & (j >= floor)
                merged += int(hit.any())
            cells = []
            for name in names:
                j, c = per_kind[name]
                hit = (j >= tj) | (((c >= tc) & (j >= floor)) if tc is not None else False)
                cells.append(f"{hit.mean():12.1%}")
            print(f"   {tj:4.2f}  {tc if tc is not None else '-':>5}  {merged:15d} | " + " | ".join(cells))

    k = cfg_near["shingle"]
    planted = [pq for plist in pairs.values() for pq in plist]
    grams = {i: shingles(texts[i], k) for pq in planted for i in pq}
    print(f"\n   estimate error against exact set arithmetic, shingle {k}, {len(planted)} planted pairs:")
    for num_perm in (64, 128, 256):
        hasher = MinHasher(num_perm, cfg_near["seed"])
        sig = {i: hasher.signature(g) for i, g in grams.items()}
        errs_j, errs_c = [], []
        for p, q in planted:
            inter = len(np.intersect1d(grams[p], grams[q]))
            exact_j = inter / (len(grams[p]) + len(grams[q]) - inter)
            est = float(jaccard(sig[p], sig[q]))
            errs_j.append(abs(est - exact_j))
            errs_c.append(abs(float(containment(est, len(grams[p]), len(grams[q]))) - inter / len(grams[q])))
        print(
            f"   {num_perm:4d} permutations ({2 * num_perm} B/doc): |J error| mean {np.mean(errs_j):.3f} "
            f"p95 {np.percentile(errs_j, 95):.3f};  |containment error| mean {np.mean(errs_c):.3f} "
            f"p95 {np.percentile(errs_c, 95):.3f}"
        )
    num_perm = cfg_near["num_perm"]
    stage = DedupNear(DedupNearParams(**cfg_near))
    sk = {i: stage.sketch(t) for i, t in texts.items()}
    print(f"\n   LSH: planted pairs proposed (share a band) and distinct pairs proposed, {num_perm} permutations:")
    for bands in (16, 32, 64):
        rows_per_band = num_perm // bands

        def keys(i: str, b: int = bands, r: int = rows_per_band) -> set[tuple[int, int]]:
            return set(enumerate(band_keys(sk[i][0].reshape(b, r)).tolist()))

        found = [bool(keys(p) & keys(q)) for p, q in planted if sk.get(p) is not None and sk.get(q) is not None]
        buckets: collections.Counter = collections.Counter()
        for i in distinct:
            if sk.get(i) is not None:
                buckets.update(keys(i))
        proposed = sum(n * (n - 1) // 2 for n in buckets.values() if n > 1)
        print(
            f"   {bands:3d} bands x {rows_per_band} rows: planted pairs proposed {np.mean(found):.1%}, "
            f"band collisions between distinct sources {proposed}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "dataset.yaml")
    ap.add_argument("--hosts", choices=["same", "mirror", "both"], default="both")
    ap.add_argument("--kinds", nargs="*", help="kind names (default: all)")
    ap.add_argument("--curve", action="store_true")
    ap.add_argument(
        "--sets",
        nargs="*",
        default=["corpus", "extraction"],
        help="sources (real_articles.py); readability was used for no choice here: the unseen check",
    )
    args = ap.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    t0 = time.perf_counter()
    chain = Chain(args.config)
    near = next((st for st in chain.stages if st.name == "dedup_near"), None)
    if near is None:
        raise SystemExit(f"{args.config}: no dedup_near stage")
    print(f"dedup_near: {near.params.model_dump()}")
    docs = sources(tuple(args.sets))
    base, _ = false_merges(chain, docs)
    cleaned = {i: d.text for i, d in base.items() if not isinstance(d, Rejected)}
    eligible = [d for d in docs if d.id in cleaned and len(cleaned[d.id].split()) > 80]
    print(f"   eligible sources (kept, > 80 words): {len(eligible)}")
    kinds = [k for k in plant.KINDS if not args.kinds or k.name in args.kinds]
    hosts = ["same", "mirror"] if args.hosts == "both" else [args.hosts]
    table = recall(chain, docs, eligible, cleaned, hosts, kinds)
    caught, total = sum(c for c, _ in table.values()), sum(n for _, n in table.values())
    print(f"\n   all kinds: {caught} / {total} = {caught / max(1, total):.1%}")
    if args.curve:
        curve(chain, docs, eligible, cleaned, kinds, near.params.model_dump())
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
