"""Citation accuracy on text nobody here wrote: the real-text development set and the peers' public suites.

Scores the current madrega through its public API only (`madrega.link`, `madrega.refs.parse`,
`str(ref)`, `madrega.refs.catalog`), so it keeps working while the modules move:

- tests/data/realtext/*.json: written-reference precision / recall / F1 (a prediction counts when its
  span overlaps the gold span and its ref is the gold ref, both compared in canonical form), by
  category and by genre; quotation recall / precision on the quotation set (needs a library: one is
  built from the embedded Tanakh, Hebrew and English, in a temp dir, or `--db PATH`; `--no-library` skips it).
- tests/data/realtext/citations.tsv: real citation strings cut from footnotes and parenthesized sources,
  each read alone (`parse`): the pass rate `citation_strings` (the canonical ref, or a refusal for a work
  outside the catalog), by form; a different place given is `silent_wrong`, as for the peer tables.
- tests/data/peers/: pass rates of Sefaria's Ref tests and get_refs_in_string tests (cases whose
  expected work is in the catalog now), openbible.info's English spec (Tanakh cases; NT/Apocrypha
  cases must be refused and not linked), and `silent_wrong`: answers that are a different place
  than expected, given without the expected one among their ranked alternatives (with it, the answer
  is a reported ambiguity, counted as `ambiguous`: still not a pass).

A plain-regex linker (canonical titles + an address) is measured in the same run as the baseline.
Prints tables, the failures (`--failures` for all), then one JSON line.
`--only GLOBS` scores only the development documents whose id matches one of the comma-separated globs
(`--only '*-301*'`, `--only 'en-daf-*,he-musar-3*'`): a held-out subset measured alone; the figures and the
JSON line's `dev_*` are then that subset's (the string tables and peer suites are unchanged).
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import madrega
from madrega.refs import catalog, parse

ROOT = Path(__file__).resolve().parent.parent
REALTEXT = ROOT / "tests" / "data" / "realtext"
PEERS = ROOT / "tests" / "data" / "peers"
WRITTEN = ("en_ref", "he_ref", "ibid", "context")
HEBREW = re.compile("[\u05d0-\u05ea]")

# ---------------------------------------------------------------- canonical forms


_CANON: dict[str, str | None] = {}


def canon(s: str) -> str | None:
    """The canonical form of a ref string, or None when madrega refuses it."""
    if s not in _CANON:
        try:
            _CANON[s] = str(parse(s))
        except Exception:
            _CANON[s] = None
    return _CANON[s]


def same_place(predicted: str, expected: str) -> bool:
    return predicted == expected or canon(predicted) == (canon(expected) or expected)


_TITLES: list[str] | None = None


def work_in_catalog(ref: str) -> bool:
    """Is the work of this (Sefaria-style) ref in the catalog now? Decides a peer case's scope."""
    global _TITLES
    if _TITLES is None:
        _TITLES = sorted(catalog().titles(), key=len, reverse=True)
    for t in _TITLES:
        if ref == t or ref.startswith((t + " ", t + ",", t + ".")):
            return True
    title = re.sub(r"[\s,.:]*\d+[a-bA-B]?(?:[\s.:\-–]+\d*[a-bA-B]?)*\s*$", "", ref).strip(" ,.")
    try:
        catalog().work(title)
        return True
    except Exception:
        return canon(ref) is not None


# ---------------------------------------------------------------- predictions


@dataclass
class Pred:
    start: int
    end: int
    text: str
    ref: str
    kind: str
    alternatives: list[str] = field(default_factory=list)


Linker = Callable[[str], list[Pred]]


def madrega_refs(text: str, conn: Any = None) -> list[Pred]:
    return [
        Pred(c.start, c.end, c.text, c.ref, c.kind, list(c.alternatives))
        for c in madrega.link(text, conn=conn)
        if c.kind == "reference"
    ]


def library_refs(conn: Any) -> Linker:
    """Written references as a library links them: the quoted words beside a reference check it."""
    return lambda text: madrega_refs(text, conn)


def regex_linker() -> Linker:
    """Baseline: a canonical English title of the catalog followed by an address, nothing else."""
    titles = sorted(catalog().titles(), key=len, reverse=True)
    pattern = re.compile(
        r"\b("
        + "|".join(re.escape(t) for t in titles)
        + r")\s+(\d+[ab]?(?::\d+[ab]?)*(?:-\d+[ab]?(?::\d+)?)?)"
    )

    def run(text: str) -> list[Pred]:
        return [Pred(m.start(), m.end(), m.group(0), m.group(0), "reference") for m in pattern.finditer(text)]

    return run


# ---------------------------------------------------------------- the development set


@dataclass
class Doc:
    id: str
    genre: str
    lang: str
    text: str
    gold: list[dict[str, Any]]
    ignore: list[dict[str, Any]]


def load_docs(only: str | None = None) -> list[Doc]:
    """The development documents; `only`: comma-separated globs on the id, keeping the matching ones."""
    globs = [g.strip() for g in only.split(",") if g.strip()] if only else []
    docs = []
    for p in sorted(REALTEXT.glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        if globs and not any(fnmatch.fnmatchcase(d["id"], g) for g in globs):
            continue
        docs.append(Doc(d["id"], d["genre"], d["lang"], d["text"], d["gold"], d.get("ignore", [])))
    return docs


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Failure:
    table: str
    where: str
    kind: str  # missed | wrong | spurious | refused | silent_wrong | not_refused
    text: str
    expected: str
    got: str
    note: str = ""


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


AS_WRITTEN = False  # score the written ref of a gold item whose author meant another place (`written`)


def _accepts(g: dict[str, Any], ref: str) -> bool:
    wants = [g["ref"], *g.get("also", [])]
    if AS_WRITTEN and "written" in g:
        wants.append(g["written"])
    return any(same_place(ref, want) for want in wants)


def _fp_category(p: Pred) -> str:
    if re.search(r"\bibid\b|\bשם\b", p.text, re.I):
        return "ibid"
    return "he_ref" if HEBREW.search(p.text) else "en_ref"


def score_doc(
    doc: Doc, preds: list[Pred], categories: tuple[str, ...], fails: list[Failure] | None, table: str
) -> tuple[Score, dict[str, Score]]:
    gold = [g for g in doc.gold if g["category"] in categories]
    preds = [p for p in preds if not any(_overlaps(p.start, p.end, i["start"], i["end"]) for i in doc.ignore)]
    used: set[int] = set()
    total = Score()
    by_cat: defaultdict[str, Score] = defaultdict(Score)
    for g in gold:
        hit = None
        near = []
        for k, p in enumerate(preds):
            if k in used or not _overlaps(p.start, p.end, g["start"], g["end"]):
                continue
            near.append(p)
            if _accepts(g, p.ref):
                hit = k
                break
        if hit is not None:
            used.add(hit)
            total.tp += 1
            by_cat[g["category"]].tp += 1
            continue
        total.fn += 1
        by_cat[g["category"]].fn += 1
        if fails is not None:
            got = "; ".join(f"{p.ref} ← {p.text!r}" for p in near) or "nothing"
            fails.append(
                Failure(
                    table,
                    doc.id,
                    "wrong" if near else "missed",
                    g["text"],
                    g["ref"],
                    got,
                    f"{g['category']}" + (f"; {g['note']}" if g.get("note") else ""),
                )
            )
    for k, p in enumerate(preds):
        if k in used:
            continue
        # a second prediction inside a gold span already matched is a split, not a new wrong answer
        if any(_overlaps(p.start, p.end, g["start"], g["end"]) and _accepts(g, p.ref) for g in gold):
            continue
        total.fp += 1
        by_cat[_fp_category(p) if categories == WRITTEN else "quotation"].fp += 1
        if fails is not None and not any(_overlaps(p.start, p.end, g["start"], g["end"]) for g in gold):
            fails.append(Failure(table, doc.id, "spurious", p.text, "(no ref here)", p.ref))
    return total, by_cat


def run_dev(docs: list[Doc], linker: Linker, fails: list[Failure] | None) -> dict[str, Any]:
    total = Score()
    by_cat: defaultdict[str, Score] = defaultdict(Score)
    by_genre: defaultdict[str, Score] = defaultdict(Score)
    in_cat = Score()
    for doc in docs:
        preds = linker(doc.text)
        s, cats = score_doc(doc, preds, WRITTEN, fails, "dev")
        total.add(s)
        by_genre[doc.genre].add(s)
        for c, v in cats.items():
            by_cat[c].add(v)
        # the same, only over gold whose work the catalog knows (predictions all count)
        known = Doc(
            doc.id,
            doc.genre,
            doc.lang,
            doc.text,
            [g for g in doc.gold if canon(g["ref"]) is not None],
            doc.ignore,
        )
        s2, _ = score_doc(known, preds, WRITTEN, None, "dev")
        in_cat.add(s2)
    return {"total": total, "by_cat": by_cat, "by_genre": by_genre, "in_catalog": in_cat}


def run_quotes(docs: list[Doc], conn: Any, fails: list[Failure] | None) -> Score:
    total = Score()
    tanakh = {w for w in catalog().titles() if _is_tanakh(w)}
    for doc in docs:
        if not any(g["category"] == "quotation" for g in doc.gold):
            continue
        preds = [
            Pred(c.start, c.end, c.text, c.ref, c.kind, list(c.alternatives))
            for c in madrega.link(doc.text, conn=conn)
            if c.kind == "quotation" and _title_of(c.ref) in tanakh
        ]
        s, _ = score_doc(doc, preds, ("quotation",), fails, "quotes")
        total.add(s)
    return total


def _title_of(ref: str) -> str:
    return re.sub(r"\s+\d.*$", "", ref)


def _is_tanakh(title: str) -> bool:
    try:
        return str(catalog().work(title).category) == "Tanakh"
    except Exception:
        return False


def build_library(db: str | None) -> Any:
    from madrega import api

    if db:
        return api.connect(db)
    from madrega.study.importers.corpus import import_corpus

    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-accuracy-"))
    conn = api.connect(tmp / "lib.sqlite")
    import_corpus(conn, only=("tanakh", "english"))  # the Tanakh as a new library has it: Hebrew and English
    return conn


# ---------------------------------------------------------------- peer tables


@dataclass
class Table:
    name: str
    cases: int = 0
    in_scope: int = 0
    passed: int = 0
    silent_wrong: int = 0
    ambiguous: int = 0  # a wrong first answer that names the expected place among its ranked alternatives
    by_class: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def rate(self) -> float:
        return self.passed / self.in_scope if self.in_scope else 1.0


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _tsv_commented(path: Path) -> list[dict[str, str]]:
    """A TSV whose leading '#' lines say where its rows come from."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def run_citation_strings(
    fails: list[Failure], name: str = "citation_strings", path: Path = REALTEXT / "citations.tsv"
) -> Table:
    """Real citation strings read alone: the expected ref, or a refusal (`REFUSE`) for a work not in the
    catalog; any other place is a silent wrong answer. The held-out file (rows gathered after the parser
    was tuned, never tuned on) is scored the same way under its own name."""
    t = Table(name)
    for row in _tsv_commented(path):
        t.cases += 1
        t.in_scope += 1
        inp, exp, form = row["input"], row["expected"], row["form"]
        got = _parsed(inp)
        ok = got is None if exp == "REFUSE" else got is not None and got == (canon(exp) or exp)
        t.by_class[form][1] += 1
        if ok:
            t.passed += 1
            t.by_class[form][0] += 1
            continue
        silent = got is not None
        t.silent_wrong += silent
        fails.append(
            Failure(
                t.name,
                form,
                "silent_wrong" if silent else "refused",
                inp,
                "(must be refused)" if exp == "REFUSE" else exp,
                got or "refused",
                row["note"],
            )
        )
    return t


def _parsed(s: str) -> str | None:
    return canon(s)


def run_sefaria_ref(fails: list[Failure]) -> Table:
    t = Table("sefaria_ref")
    for row in _tsv(PEERS / "sefaria_ref.tsv"):
        t.cases += 1
        inp, exp, kind = row["input"], row["expected"], row["kind"]
        if kind in ("normal", "equal", "valid", "book") and not work_in_catalog(exp):
            continue
        t.in_scope += 1
        got = _parsed(inp)
        if kind == "refuse":
            ok = got is None
        elif kind == "valid":
            ok = got is not None
        elif kind == "book":
            ok = got is not None and (got == exp or got.startswith(exp + " "))
        else:
            ok = got is not None and got == (canon(exp) or exp)
        t.by_class[kind][1] += 1
        if ok:
            t.passed += 1
            t.by_class[kind][0] += 1
            continue
        silent = got is not None and kind != "valid"
        t.silent_wrong += silent
        fails.append(
            Failure(
                t.name,
                row["test"],
                "silent_wrong" if silent else "refused",
                inp,
                exp or "(must be refused)",
                got or "refused",
                kind,
            )
        )
    return t


def _ranked(p: Pred, want: set[str]) -> bool:
    """A reported ambiguity, not a silent wrong answer: the expected place is among the alternatives
    the linker gives beside its first choice ('LM 1:1': Likutei Moharan 1:1, or Lamentations 1:1)."""
    return any((canon(a) or a) in want for a in p.alternatives)


def run_sefaria_link(fails: list[Failure]) -> Table:
    t = Table("sefaria_link")
    for case in json.loads((PEERS / "sefaria_link.json").read_text(encoding="utf-8")):
        t.cases += 1
        expected = case["expected"]
        if not all(work_in_catalog(e) for e in expected):
            continue
        t.in_scope += 1
        got = [p.ref for p in madrega_refs(case["text"])]
        want = {canon(e) or e for e in expected}
        have = {canon(g) or g for g in got}
        if have == want:
            t.passed += 1
            continue
        wrong = have - want
        preds = [p for p in madrega_refs(case["text"]) if (canon(p.ref) or p.ref) in wrong]
        t.silent_wrong += sum(not _ranked(p, want) for p in preds)
        t.ambiguous += sum(_ranked(p, want) for p in preds)
        fails.append(
            Failure(
                t.name,
                case["test"],
                "silent_wrong" if wrong else "missed",
                case["text"][:90],
                ", ".join(sorted(want)) or "(nothing)",
                ", ".join(sorted(have)) or "nothing",
            )
        )
    return t


def run_bcv_ot(fails: list[Failure], link_too: bool) -> tuple[Table, Table]:
    parse_t, link_t = Table("bcv_ot"), Table("bcv_ot_link")
    for row in _tsv(PEERS / "bcv_ot.tsv"):
        for t in (parse_t, link_t) if link_too else (parse_t,):
            t.cases += 1
            t.in_scope += 1
        exp, inp, cls = row["expected"], row["input"], row["class"]
        got = _parsed(inp)
        ok = got is None if not exp else got == (canon(exp) or exp)
        parse_t.by_class[cls][1] += 1
        if ok:
            parse_t.passed += 1
            parse_t.by_class[cls][0] += 1
        else:
            silent = got is not None
            parse_t.silent_wrong += silent
            fails.append(
                Failure(
                    "bcv_ot",
                    cls,
                    "silent_wrong" if silent else "refused",
                    inp,
                    exp or "(must be refused)",
                    got or "refused",
                    "versification differs" if row["versification_differs"] == "1" else "",
                )
            )
        if link_too:
            linked = madrega_refs(inp)
            found = {canon(p.ref) or p.ref for p in linked}
            want = {canon(exp) or exp} if exp else set()
            link_t.by_class[cls][1] += 1
            if found == want:
                link_t.passed += 1
                link_t.by_class[cls][0] += 1
            else:
                wrong = [p for p in linked if (canon(p.ref) or p.ref) not in want]
                link_t.silent_wrong += sum(not _ranked(p, want) for p in wrong)
                link_t.ambiguous += sum(_ranked(p, want) for p in wrong)
    return parse_t, link_t


def run_bcv_refuse(fails: list[Failure], every: int) -> Table:
    t = Table("nt_refused")
    for i, row in enumerate(_tsv(PEERS / "bcv_refuse.tsv")):
        if i % every:
            continue
        t.cases += 1
        t.in_scope += 1
        inp = row["input"]
        got = _parsed(inp)
        linked = [p for p in madrega_refs(inp)]
        if got is None and not linked:
            t.passed += 1
            continue
        t.silent_wrong += 1
        what = got or "; ".join(f"linked {p.ref} ← {p.text!r}" for p in linked)
        fails.append(Failure(t.name, row["osis"], "not_refused", inp, "(must be refused)", what))
    return t


# ---------------------------------------------------------------- report


def _fmt(s: Score) -> str:
    return f"P {s.p:.2f}  R {s.r:.2f}  F1 {s.f1:.2f}   (tp {s.tp}, fp {s.fp}, fn {s.fn})"


def _print_failures(fails: Iterable[Failure], limit: int | None) -> None:
    fails = list(fails)
    print(
        f"\nfailures: {len(fails)}"
        + ("" if limit is None else f" (first {limit} per table; --failures for all)")
    )
    per_table: Counter[str] = Counter()
    for f in fails:
        per_table[f.table] += 1
        if limit is not None and per_table[f.table] > limit:
            continue
        print(
            f"  [{f.table}] {f.where}: {f.kind}: {f.text!r} -> expected {f.expected}; got {f.got}"
            + (f"  ({f.note})" if f.note else "")
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="a library to find quotations in (default: build Tanakh in a temp dir)")
    ap.add_argument("--no-library", action="store_true", help="skip the quotation set")
    ap.add_argument("--failures", action="store_true", help="print every failure")
    ap.add_argument(
        "--full",
        action="store_true",
        help="every NT/Apocrypha refusal case (default: one in 20, spread over every book; a refusal costs tens of ms)",
    )
    ap.add_argument(
        "--only", metavar="GLOBS", help="score only the documents whose id matches (comma-separated globs)"
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    fails: list[Failure] = []
    docs = load_docs(args.only)
    if not docs:
        ap.error(f"--only {args.only!r} matches no document")

    global AS_WRITTEN
    conn = None if args.no_library else build_library(args.db)
    linker = madrega_refs if conn is None else library_refs(conn)
    dev = run_dev(docs, linker, fails)
    text_only = dev if conn is None else run_dev(docs, madrega_refs, None)
    AS_WRITTEN = True
    written = run_dev(docs, linker, None)
    AS_WRITTEN = False
    base = run_dev(docs, regex_linker(), None)
    t_dev = time.perf_counter() - t0
    n_gold = Counter(g["category"] for d in docs for g in d.gold)
    print(f"development set: {len(docs)} documents, {sum(n_gold.values())} gold items {dict(n_gold)}")
    print(f"  written refs    {_fmt(dev['total'])}" + ("" if conn is None else "  (with the library)"))
    if conn is not None:
        print(f"  text alone      {_fmt(text_only['total'])}  (no library: no quoted words checked)")
    print(f"  regex baseline  {_fmt(base['total'])}")
    print(f"  gold in catalog {_fmt(dev['in_catalog'])}")
    print(
        f"  as written      {_fmt(written['total'])}  (the written ref also counts where it is not what the author meant)"
    )
    for c in WRITTEN:
        print(f"    {c:<10} {_fmt(dev['by_cat'][c])}")
    for g in sorted(dev["by_genre"]):
        if not dev["by_genre"][g].tp + dev["by_genre"][g].fn + dev["by_genre"][g].fp:
            continue
        print(f"    genre {g:<20} {_fmt(dev['by_genre'][g])}")

    quotes = None
    if not args.no_library:
        t = time.perf_counter()
        quotes = run_quotes(docs, conn, fails)
        print(f"quotation set: {_fmt(quotes)}  [{time.perf_counter() - t:.1f}s with the library]")

    t = time.perf_counter()
    tables = [
        run_citation_strings(fails),
        run_citation_strings(fails, "citation_heldout", REALTEXT / "citations_heldout.tsv"),
        run_citation_strings(fails, "citation_heldout2", REALTEXT / "citations_heldout2.tsv"),
        run_citation_strings(fails, "citation_heldout3", REALTEXT / "citations_heldout3.tsv"),
        run_citation_strings(fails, "citation_heldout4", REALTEXT / "citations_heldout4.tsv"),
        run_citation_strings(fails, "citation_heldout5", REALTEXT / "citations_heldout5.tsv"),
        run_sefaria_ref(fails),
        run_sefaria_link(fails),
    ]
    ot, ot_link = run_bcv_ot(fails, link_too=True)
    tables += [ot, ot_link]
    every = 1 if args.full else 20
    tables.append(run_bcv_refuse(fails, every))
    base_ot = _baseline_bcv()
    t_peers = time.perf_counter() - t
    print("peer suites (in scope = the expected work is in the catalog now):")
    for tb in tables:
        print(
            f"  {tb.name:<13} {tb.passed:>5}/{tb.in_scope:<5} = {tb.rate:.3f}   of {tb.cases} cases; "
            f"silent wrong {tb.silent_wrong}, ambiguous {tb.ambiguous}"
        )
        for cls, (ok, n) in sorted(tb.by_class.items()):
            print(f"      {cls:<16} {ok}/{n} = {ok / n if n else 1:.3f}")
    print(f"  regex baseline on bcv_ot: {base_ot:.3f}")
    _print_failures(fails, None if args.failures else 25)

    def full_rate(t: Table) -> float:
        full = [t.by_class[c] for c in ("full_name", "standard_abbrev")]
        return sum(x[0] for x in full) / max(1, sum(x[1] for x in full))

    ot_full = full_rate(ot)
    named = {x.name: x for x in tables}
    figures: dict[str, Any] = {
        "dev_f1": round(dev["total"].f1, 4),
        "dev_f1_text_only": round(text_only["total"].f1, 4),
        "dev_with_library": conn is not None,
        "dev_precision": round(dev["total"].p, 4),
        "dev_recall": round(dev["total"].r, 4),
        "dev_f1_in_catalog": round(dev["in_catalog"].f1, 4),
        "dev_f1_as_written": round(written["total"].f1, 4),
        **{f"dev_recall_{c}": round(dev["by_cat"][c].r, 4) for c in WRITTEN},
        **{f"dev_f1_{g}": round(s.f1, 4) for g, s in sorted(dev["by_genre"].items()) if s.tp + s.fn},
        "quote_recall": round(quotes.r, 4) if quotes else None,
        "quote_precision": round(quotes.p, 4) if quotes else None,
        "citation_strings": round(named["citation_strings"].rate, 4),
        "citation_strings_form_mean": round(
            sum(ok / n for ok, n in named["citation_strings"].by_class.values())
            / max(1, len(named["citation_strings"].by_class)),
            4,
        ),
        "citation_strings_heldout": round(named["citation_heldout"].rate, 4),
        "citation_strings_heldout_n": named["citation_heldout"].in_scope,
        "citation_strings_heldout2": round(named["citation_heldout2"].rate, 4),
        "citation_strings_heldout2_n": named["citation_heldout2"].in_scope,
        "citation_strings_heldout3": round(named["citation_heldout3"].rate, 4),
        "citation_strings_heldout3_n": named["citation_heldout3"].in_scope,
        "citation_strings_heldout4": round(named["citation_heldout4"].rate, 4),
        "citation_strings_heldout4_n": named["citation_heldout4"].in_scope,
        "citation_strings_heldout5": round(named["citation_heldout5"].rate, 4),
        "citation_strings_heldout5_n": named["citation_heldout5"].in_scope,
        "sefaria_ref": round(named["sefaria_ref"].rate, 4),
        "sefaria_link": round(named["sefaria_link"].rate, 4),
        "bcv_ot": round(ot.rate, 4),
        "bcv_ot_full": round(ot_full, 4),
        "bcv_ot_link": round(ot_link.rate, 4),
        "bcv_ot_link_full": round(full_rate(ot_link), 4),
        "nt_refused": round(named["nt_refused"].rate, 4),
        "silent_wrong": sum(x.silent_wrong for x in tables),
        **{f"silent_wrong_{x.name}": x.silent_wrong for x in tables},
        "ambiguous": sum(x.ambiguous for x in tables),
        "dev_documents": len(docs),
        "dev_gold": sum(n_gold.values()),
        "seconds_dev": round(t_dev, 2),
        "seconds_peers": round(t_peers, 2),
    }
    ratios = {
        "dev_f1_vs_regex": round(dev["total"].f1 / base["total"].f1, 3) if base["total"].f1 else None,
        "bcv_ot_vs_regex": round(ot.rate / base_ot, 3) if base_ot else None,
        "dev_f1_vs_0.95_target": round(dev["total"].f1 / 0.95, 3),
        "bcv_ot_vs_0.90_target": round(ot.rate / 0.90, 3),
        "citation_strings_vs_0.97_target": round(named["citation_strings"].rate / 0.97, 3),
    }
    print(json.dumps({"bench": "accuracy", "figures": figures, "ratios": ratios}))
    return 0


def _baseline_bcv() -> float:
    rx = regex_linker()
    rows = _tsv(PEERS / "bcv_ot.tsv")
    ok = 0
    for row in rows:
        found = [p.ref for p in rx(row["input"]) if p.start == 0 and p.end == len(row["input"].strip())]
        if row["expected"]:
            ok += bool(found) and same_place(found[0], row["expected"])
        else:
            ok += not found
    return ok / len(rows) if rows else 1.0


if __name__ == "__main__":
    sys.exit(main())
