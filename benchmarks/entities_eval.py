"""Entity and quote quality on an evaluation set: raw spaCy model vs the full pipeline.

    python benchmarks/entities_eval.py [--devset DIR] [--score PATH] [--details] [--city-codes]

--devset defaults to the demo site bundled with the repository (flows/demo_site, gold labels in
its EXPECTED.json). It also takes any directory holding gold.json and site/ in the same format
(benchmarks/heldback is one: 24 articles held back from tuning, see its README).

Bodies come from the pages through transforms.article.build_article (the ingest's own clean
body). Scoring is built in: names are compared after transforms.entities.ids.norm_name (accent-,
case- and punctuation-insensitive, a leading 'the' dropped), names and codes listed in
entities_optional are neither rewarded nor penalised, persons/orgs are the names of PERSON/ORG
entities mentioned, countries the codes of GPE/NORP entities mentioned, speakers the recall of
gold speakers among quote speakers. --score PATH scores with an external scorer module instead;
it must define nname(text) -> str and prf(tp, fp, fn) -> (precision, recall, f1).

'raw' is the bare model with plain labels: PERSON/ORG strings as written, GPE/NORP strings
looked up in pycountry (exact), and as speakers the PERSON strings right before 'said'/'told' or
right after 'said'.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.article import build_article  # noqa: E402
from transforms.entities import enrich_articles, load_pipeline  # noqa: E402
from transforms.entities.ids import norm_name  # noqa: E402
from transforms.entities.pipeline import load_base  # noqa: E402

KINDS = ("persons", "orgs", "countries")
DEMO_SITE = ROOT / "flows" / "demo_site"  # the evaluation set bundled with the repository


class BuiltinScorer:
    """The scoring functions used when no --score module is given."""

    @staticmethod
    def nname(text: str | None) -> str:
        return norm_name(text) if text else ""

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        """Precision, recall, F1. Nothing predicted scores precision 1.0 only when there was
        nothing to find; nothing to find scores recall 1.0."""
        precision = tp / (tp + fp) if tp + fp else float(tp + fn == 0)
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def load_score_module(explicit: str | None):
    """The built-in scorer, or the module at `explicit` (it must define nname and prf)."""
    if not explicit:
        return BuiltinScorer
    path = Path(explicit)
    if not path.is_file():
        raise SystemExit(f"--score {path}: no such file")
    spec = importlib.util.spec_from_file_location("nw_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    missing = [f for f in ("nname", "prf") if not callable(getattr(mod, f, None))]
    if missing:
        raise SystemExit(f"--score {path}: does not define {', '.join(missing)}")
    return mod


def load_set(devset: Path) -> tuple[list[dict], Path, dict]:
    """Gold articles, the site root and per-path server behaviours."""
    if (devset / "gold.json").is_file():
        gold, site = json.loads((devset / "gold.json").read_text("utf-8")), devset / "site"
    elif (devset / "EXPECTED.json").is_file():
        gold, site = json.loads((devset / "EXPECTED.json").read_text("utf-8")), devset
    else:
        raise SystemExit(f"{devset}: no gold.json or EXPECTED.json")
    beh_file = site / "_behaviours.json"
    beh = json.loads(beh_file.read_text("utf-8")) if beh_file.is_file() else {}
    arts = [a for a in gold["articles"] if a.get("expect", "article") == "article"
            and not a.get("duplicate_of")]
    return arts, site, beh


def clean_bodies(arts: list[dict], site: Path, beh: dict) -> dict[str, str]:
    out = {}
    for a in arts:
        path = a["path"].split("?")[0]
        raw = (site / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:8")
        cs = beh.get(path, {}).get("charset", "utf-8")
        ctype = "text/html" + (f"; charset={cs}" if cs not in (None, "", "none") else "")
        art = build_article(item_url="http://127.0.0.1:8" + path,
                            canonical_url="http://127.0.0.1:8" + path, article_id=path,
                            body=raw, content_type=ctype, profile="xinhua")
        out[path] = art.body
    return out


def raw_predictions(model: str | None, bodies: dict[str, str], nname) -> dict[str, dict]:
    import pycountry

    def code(text: str) -> str | None:
        try:
            return pycountry.countries.lookup(re.sub(r"^the\s+", "", text, flags=re.I)).alpha_2
        except LookupError:
            return None

    nlp = load_base(model)
    out = {}
    for path, doc in zip(bodies, nlp.pipe(bodies.values(), batch_size=64), strict=True):
        pred = {k: set() for k in (*KINDS, "speakers")}
        for e in doc.ents:
            if e.label_ == "PERSON":
                pred["persons"].add(nname(e.text))
                after = doc.text[e.end_char:e.end_char + 6]
                before = doc.text[max(0, e.start_char - 5):e.start_char]
                if re.match(r"\s+(said|told)\b", after) or before.endswith("said "):
                    pred["speakers"].add(nname(e.text))
            elif e.label_ == "ORG":
                pred["orgs"].add(nname(e.text))
            elif e.label_ in ("GPE", "NORP") and (c := code(e.text)):
                pred["countries"].add(c)
        out[path] = pred
    return out


def full_predictions(model: str | None, bodies: dict[str, str], nname, city_codes: bool):
    nlp = load_pipeline(model)
    ens = enrich_articles(nlp, list(bodies.items()), city_codes=city_codes)
    out = {}
    for en in ens:
        pred = {k: set() for k in (*KINDS, "speakers")}
        for e in en.entities:
            if e.type == "PERSON":
                pred["persons"].add(nname(e.name))
            elif e.type == "ORG":
                pred["orgs"].add(nname(e.name))
            if e.type in ("GPE", "NORP") and e.country_code:
                pred["countries"].add(e.country_code)
        pred["speakers"] = {nname(q.speaker) for q in en.quotes if q.speaker}
        out[en.article_id] = pred
    return out, ens


def score(arts: list[dict], preds: dict[str, dict], sc) -> tuple[dict, list]:
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    spk_hit = spk_tot = 0
    details = []
    for g in arts:
        pred = preds[g["path"].split("?")[0]]
        opt = {sc.nname(x) for x in g.get("entities_optional") or []}
        opt_cc = {x.upper() for x in g.get("entities_optional") or []
                  if re.fullmatch(r"[A-Za-z]{2}", x)}
        for k in KINDS:
            gs = ({x.upper() for x in g.get(k) or []} if k == "countries"
                  else {sc.nname(x) for x in g.get(k) or []})
            o = opt_cc if k == "countries" else opt
            fp, fn = pred[k] - gs - o, gs - pred[k]
            counts[k]["tp"] += len(pred[k] & gs)
            counts[k]["fp"] += len(fp)
            counts[k]["fn"] += len(fn)
            if fp or fn:
                details.append((g["path"], k, sorted(fp), sorted(fn)))
        gsp = [sc.nname(x) for x in g.get("speakers") or []]
        hit = [s for s in gsp if s in pred["speakers"]]
        spk_hit, spk_tot = spk_hit + len(hit), spk_tot + len(gsp)
        if len(hit) < len(gsp):
            details.append((g["path"], "speakers", [], sorted(set(gsp) - set(hit))))
    res = {}
    for k in KINDS:
        res[k] = sc.prf(counts[k]["tp"], counts[k]["fp"], counts[k]["fn"])
    res["speakers"] = spk_hit / spk_tot if spk_tot else 1.0
    return res, details


def duplicate_rows(arts: list[dict], ens, nname) -> list[str]:
    """Gold persons/orgs that more than one dim_entity row stands for (a full name plus a
    surname or acronym row, or the same name under two types)."""
    rows = {e.entity_id: e for en in ens for e in en.entities if e.type in ("PERSON", "ORG")}
    by_norm = defaultdict(set)
    for e in rows.values():
        by_norm[nname(e.name)].add(e.entity_id)
    problems = []
    for name in sorted({nname(x) for g in arts for k in ("persons", "orgs") for x in g.get(k)}):
        words = name.split()
        initials = "".join(w[0] for w in words if w not in ("of", "and", "for"))
        ids = set(by_norm.get(name, set()))
        for other, oids in by_norm.items():
            if other != name and (other in words or other == initials):
                ids |= oids
        if len(ids) > 1:
            problems.append(f"{name}: {sorted(rows[i].name + '/' + rows[i].type for i in ids)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=DEMO_SITE, metavar="DIR",
                    help="evaluation set: a directory with EXPECTED.json at its root (default: "
                         "the bundled demo site, %(default)s) or any directory holding gold.json "
                         "and site/ in the same format, such as benchmarks/heldback (held back "
                         "from tuning: score it, never tune on it)")
    ap.add_argument("--score", default=None, metavar="PATH",
                    help="optional external scorer module defining nname() and prf() "
                         "(default: the built-in scoring)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--city-codes", action="store_true", help="give known cities a code")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args(argv)
    devset = args.devset
    sc = load_score_module(args.score)
    arts, site, beh = load_set(devset)
    bodies = clean_bodies(arts, site, beh)
    words = sum(len(b.split()) for b in bodies.values())
    print(f"set: {devset}  articles: {len(arts)}  body words: {words}")
    t0 = time.perf_counter()
    raw = raw_predictions(args.model, bodies, sc.nname)
    t1 = time.perf_counter()
    full, ens = full_predictions(args.model, bodies, sc.nname, args.city_codes)
    t2 = time.perf_counter()
    results = {"raw": score(arts, raw, sc), "full": score(arts, full, sc)}
    print(f"{'':6} {'metric':10} {'P':>6} {'R':>6} {'F1':>6}")
    for name, (res, _) in results.items():
        for k in KINDS:
            p, r, f = res[k]
            print(f"{name:6} {k:10} {p:6.3f} {r:6.3f} {f:6.3f}")
        print(f"{name:6} {'speakers':10} {'':6} {res['speakers']:6.3f}")
    dups = duplicate_rows(arts, ens, sc.nname)
    print(f"dim_entity rows: {len({e.entity_id for en in ens for e in en.entities})}; "
          f"gold persons/orgs with more than one row: {len(dups)}")
    for d in dups:
        print(f"  duplicate {d}")
    print(f"time: raw {t1 - t0:.2f}s, full {t2 - t1:.2f}s (model loading included)")
    if args.details:
        for path, k, fp, fn in results["full"][1]:
            print(f"detail full {path} {k} extra={fp} missed={fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
