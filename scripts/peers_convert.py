"""Convert the public peer test suites into data tables under tests/data/peers/ (re-runnable).

Reads local copies of the peers' test files (never committed; only the extracted cases are):

- Sefaria-Project `sefaria/model/tests/ref_test.py`, `he_ref_test.py` -> `sefaria_ref.tsv`
  (input, expected, kind): every `Ref(A).normal() == "B"`, `Ref(A) == Ref(B)`, `Ref(A)` with
  asserts on `.book` / `.sections`, `Ref(A)` that must raise, bare `Ref(A)` that must parse.
- Sefaria-Project `sefaria/model/tests/library_test.py` and `he_ref_test.py` (the
  `get_refs_in_string` tests) -> `sefaria_link.json` (text -> list of expected refs).
- openbible.info's Bible-Passage-Reference-Parser `test/lang/en.spec.js` -> `bcv_ot.tsv` (Tanakh
  cases converted to Sefaria titles, classed full_name / standard_abbrev / other) and
  `bcv_refuse.tsv` (New Testament and Apocrypha cases: must be refused).

    python scripts/peers_convert.py --sefaria-git /path/Sefaria-Project/.git \
        --bcv-git /path/Bible-Passage-Reference-Parser/.git

Each option also takes a plain directory checkout (`--sefaria-dir`, `--bcv-dir`) with `--*-commit`.
The commits read are written into tests/data/peers/SOURCES.json.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "peers"

SEFARIA_REF_FILES = ("sefaria/model/tests/ref_test.py", "sefaria/model/tests/he_ref_test.py")
SEFARIA_LINK_FILES = ("sefaria/model/tests/library_test.py", "sefaria/model/tests/he_ref_test.py")
BCV_SPEC = "test/lang/en.spec.js"

# Facts about Sefaria's address types, needed to turn `r.sections == [129]` into `Yevamot 65a`.
BAVLI = {
    "Berakhot",
    "Shabbat",
    "Eruvin",
    "Pesachim",
    "Shekalim",
    "Yoma",
    "Sukkah",
    "Beitzah",
    "Rosh Hashanah",
    "Taanit",
    "Megillah",
    "Moed Katan",
    "Chagigah",
    "Yevamot",
    "Ketubot",
    "Nedarim",
    "Nazir",
    "Sotah",
    "Gittin",
    "Kiddushin",
    "Bava Kamma",
    "Bava Metzia",
    "Bava Batra",
    "Sanhedrin",
    "Makkot",
    "Shevuot",
    "Avodah Zarah",
    "Horayot",
    "Zevachim",
    "Menachot",
    "Chullin",
    "Bekhorot",
    "Arakhin",
    "Temurah",
    "Keritot",
    "Meilah",
    "Tamid",
    "Niddah",
}

# Hebrew refs that the linker tests expect (as written in the tests) -> Sefaria's normal form.
# Checked by hand against the Hebrew numerals; the ref tests state most of them too.
HE_NORMALS = {
    "שמות כא, ד": "Exodus 21:4",
    "דברים טז, יח": "Deuteronomy 16:18",
    "הושע ט ג": "Hosea 9:3",
    "דברי הימים ב לב יט": "II Chronicles 32:19",
    'יבמות ס"ה': "Yevamot 65",
    "ויקרא טז,כט": "Leviticus 16:29",
    "ויקרא כג,כח": "Leviticus 23:28",
    "ויקרא כג,לא": "Leviticus 23:31",
    "במדבר כט,ז": "Numbers 29:7",
    'תהילים קי"ט': "Psalms 119",
    "דברים ד,ח": "Deuteronomy 4:8",
    "דברים ד,ז": "Deuteronomy 4:7",
    "במדבר ל''ה": "Numbers 35",
    "שופטים כ י''א": "Judges 20:11",
    'טהרות פ"ג משנה ב': "Mishnah Tahorot 3:2",
    "דברים ל, א": "Deuteronomy 30:1",
    "דברים כג:ח-ט": "Deuteronomy 23:8-9",
    'שמות, כ"ד, יג-יד': "Exodus 24:13-14",
    'במדבר, כ"ז, טו - כג': "Numbers 27:15-23",
    'במדבר, כ"ז, טו -כ״ט כג': "Numbers 27:15-29:23",
    "Brachot 7b": "Berakhot 7b",
    "Leviticus 12.4": "Leviticus 12:4",
    "Job.2:3-3:1": "Job 2:3-3:1",
    "Leviticus 15:3 - 17:12": "Leviticus 15:3-17:12",
    "Shulchan Arukh, Orach Chayim 444:4–6": "Shulchan Arukh, Orach Chayim 444:4-6",
    "Berakhot 3a-b": "Berakhot 3",
    "Berakhot 2a-b": "Berakhot 2",
}

# The texts whose test asserts only how many refs are found: the refs, read by hand from the text.
COUNT_ONLY = {
    "(דברי הימים ב לב, יט)": ["II Chronicles 32:19"],
    "עמי הארץ (דברי הימים ב לב,יט), וכתיב (הושע ט ג): לא ישבו בארץ": ["II Chronicles 32:19", "Hosea 9:3"],
    "bk-abbrev": ["Gittin 55a", "Bava Kamma 118a"],
    "ignored_middle": ["Psalms 37:1", "Psalms 10:5", "Proverbs 28:4"],
    "ולמועדים ולימים": ["Amos 7:2", "I Samuel 17:14"],
    "ויגש הפלשתי": ["I Samuel 17:4"],
    "חִזְקִיָּהוּ": ["Isaiah 38"],
}


@dataclass
class Source:
    repo: str
    path: str
    commit: str
    text: str


def _git_show(git_dir: str, path: str) -> tuple[str, str]:
    commit = subprocess.run(
        ["git", "--git-dir", git_dir, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    text = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True, capture_output=True, text=True
    ).stdout
    return commit, text


def _read(args_git: str | None, args_dir: str | None, commit: str | None, repo: str, path: str) -> Source:
    if args_git:
        c, text = _git_show(args_git, path)
        return Source(repo, path, c, text)
    if args_dir:
        return Source(repo, path, commit or "unknown", (Path(args_dir) / path).read_text(encoding="utf-8"))
    raise SystemExit(f"give --*-git or --*-dir to read {repo}:{path}")


# ---------------------------------------------------------------- Sefaria Ref tests


def _ref_arg(node: ast.AST, env: dict[str, str]) -> str | None:
    """The string A when `node` is `Ref("A")` / `m.Ref("A")`, or a name bound to one."""
    if isinstance(node, ast.Call) and node.args and not node.keywords:
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        if name == "Ref" and len(node.args) == 1:
            a = node.args[0]
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                return a.value
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    return None


def _const(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


@dataclass
class Facts:
    book: str | None = None
    sections: dict[int, int] = field(default_factory=dict)
    to_sections: dict[int, int] = field(default_factory=dict)
    length: int | None = None


def _daf(n: int) -> str:
    return f"{(n + 1) // 2}{'a' if n % 2 else 'b'}"


# an amud written after a Hebrew daf: `כב.`, `נח:`, `כט א`, `ע"ב`, `עמוד ב`
_HAS_AMUD = re.compile(r"[.:]\s*$|\s[אב]['׳]?(\s|:|$)|ע[\"״']{1,2}[אב]|עמוד")


def _normal_from_facts(f: Facts, inp: str) -> str | None:
    if not f.book or not f.sections:
        return None
    n = f.length if f.length is not None else max(f.sections) + 1
    if sorted(f.sections) != list(range(n)):
        return None
    secs = [f.sections[i] for i in range(n)]
    if f.to_sections:
        return None  # ranges are asserted only partly; not enough to state the normal form
    if f.book in BAVLI and n == 1 and not _HAS_AMUD.search(inp):
        # a daf without its amud is the whole daf: Sefaria's sections hold its first amud
        d = (secs[0] + 1) // 2
        return f"{f.book} {d}a-{d}b"
    parts = [_daf(secs[0]) if f.book in BAVLI else str(secs[0])] + [str(s) for s in secs[1:]]
    return f"{f.book} {':'.join(parts)}"


def _is_skipped(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        s = ast.unparse(d)
        if "mark.skip" in s or "mark.xfail" in s or "mark.deep" in s:
            return True
    return False


class _RefCases:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.rows: list[dict[str, str]] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, inp: str, expected: str, kind: str, test: str, note: str = "") -> None:
        key = (inp, expected, kind)
        if key in self.seen:
            return
        self.seen.add(key)
        self.rows.append(
            {
                "input": inp,
                "expected": expected,
                "kind": kind,
                "test": test,
                "file": self.source.path,
                "note": note,
            }
        )

    def run(self) -> None:
        tree = ast.parse(self.source.text)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                if _is_skipped(node):
                    continue
                self._function(node)

    def _function(self, fn: ast.FunctionDef) -> None:
        env: dict[str, str] = {}
        facts: dict[str, Facts] = {}
        test = fn.name

        def flush() -> None:
            for inp, f in facts.items():
                normal = _normal_from_facts(f, inp)
                if normal:
                    self.add(inp, normal, "normal", test, "from .book/.sections")
                elif f.book and not f.sections and f.length is None and not f.to_sections:
                    self.add(inp, f.book, "book", test)
            facts.clear()

        def visit(stmts: list[ast.stmt], raises: bool) -> None:
            for st in stmts:
                if isinstance(st, ast.With):
                    is_raises = any("raises" in ast.unparse(item.context_expr) for item in st.items)
                    visit(st.body, raises or is_raises)
                    continue
                if isinstance(st, (ast.For, ast.If)):
                    continue  # loops and branches assert computed things
                if raises:
                    expr = st.value if isinstance(st, (ast.Expr, ast.Assign)) else None
                    if isinstance(st, ast.Assert):
                        expr = st.test.operand if isinstance(st.test, ast.UnaryOp) else st.test
                    a = _ref_arg(expr, {}) if expr is not None else None
                    if a is not None:
                        self.add(a, "", "refuse", test)
                    continue
                if (
                    isinstance(st, ast.Assign)
                    and len(st.targets) == 1
                    and isinstance(st.targets[0], ast.Name)
                ):
                    a = _ref_arg(st.value, {})
                    name = st.targets[0].id
                    if a is not None:
                        env[name] = a
                    else:
                        env.pop(name, None)
                    continue
                if isinstance(st, ast.Expr):
                    a = _ref_arg(st.value, {})
                    if a is not None:
                        self.add(a, a, "valid", test, "must parse")
                    continue
                if isinstance(st, ast.Assert):
                    self._assert(st.test, env, facts, test)
            flush()

        visit(fn.body, False)

    def _assert(self, t: ast.expr, env: dict[str, str], facts: dict[str, Facts], test: str) -> None:
        if not isinstance(t, ast.Compare):
            a = _ref_arg(t, {})
            if a is not None:
                self.add(a, a, "valid", test, "must parse")
            return
        items = [t.left, *t.comparators]
        for op, left, right in zip(t.ops, items, items[1:], strict=False):
            if not isinstance(op, (ast.Eq, ast.Is)):
                continue
            self._pair(left, right, env, facts, test)

    def _pair(
        self, left: ast.expr, right: ast.expr, env: dict[str, str], facts: dict[str, Facts], test: str
    ) -> None:
        la, ra = _ref_arg(left, env), _ref_arg(right, env)
        if la is not None and ra is not None:
            self.add(la, ra, "equal", test)
            return
        for side, other in ((left, right), (right, left)):
            # Ref(A).normal() == "B"
            if (
                isinstance(side, ast.Call)
                and isinstance(side.func, ast.Attribute)
                and side.func.attr == "normal"
                and not side.args
            ):
                a = _ref_arg(side.func.value, env)
                b = _const(other)
                if a is not None and isinstance(b, str):
                    self.add(a, b, "normal", test)
                    return
            # r.book == "X"
            if isinstance(side, ast.Attribute) and side.attr == "book":
                a = _ref_arg(side.value, env)
                b = _const(other)
                if a is not None and isinstance(b, str):
                    facts.setdefault(a, Facts()).book = b
                    return
            # r.sections[i] == n / r.sections == [..] / r.toSections ...
            if isinstance(side, ast.Subscript) and isinstance(side.value, ast.Attribute):
                attr = side.value.attr
                a = _ref_arg(side.value.value, env)
                i, b = _const(side.slice), _const(other)
                if (
                    a is not None
                    and isinstance(i, int)
                    and isinstance(b, int)
                    and attr in ("sections", "toSections")
                ):
                    f = facts.setdefault(a, Facts())
                    (f.sections if attr == "sections" else f.to_sections)[i] = b
                    return
            if isinstance(side, ast.Attribute) and side.attr in ("sections", "toSections"):
                a = _ref_arg(side.value, env)
                b = _const(other)
                if a is not None and isinstance(b, list) and all(isinstance(x, int) for x in b):
                    f = facts.setdefault(a, Facts())
                    target = f.sections if side.attr == "sections" else f.to_sections
                    target.update(dict(enumerate(b)))
                    if side.attr == "sections":
                        f.length = len(b)
                    return
            # len(r.sections) == n
            if (
                isinstance(side, ast.Call)
                and isinstance(side.func, ast.Name)
                and side.func.id == "len"
                and side.args
                and isinstance(side.args[0], ast.Attribute)
                and side.args[0].attr == "sections"
            ):
                a = _ref_arg(side.args[0].value, env)
                b = _const(other)
                if a is not None and isinstance(b, int):
                    facts.setdefault(a, Facts()).length = b
                    return


def _canonical_groups(rows: list[dict[str, str]]) -> None:
    """`equal` rows whose right side is Hebrew get the English normal form stated elsewhere in the suite."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for r in rows:
        if r["kind"] in ("equal", "normal"):
            a, b = find(r["input"]), find(r["expected"])
            if a != b:
                parent[a] = b
    english: dict[str, str] = {}
    shape = re.compile(r"^[A-Z][A-Za-z' ,]+ \d+[ab]?(:\d+[ab]?)*(-\d+[ab]?(:\d+)*)?$")
    for r in rows:
        for s in (r["input"], r["expected"]):
            if s and not re.search("[\u0590-\u05ff]", s):
                root = find(s)
                if root not in english or (shape.match(s) and not shape.match(english[root])):
                    english[root] = s
    for r in rows:
        if r["kind"] == "equal" and (
            re.search("[\u0590-\u05ff]", r["expected"]) or not shape.match(r["expected"])
        ):
            eng = english.get(find(r["expected"]))
            if eng and shape.match(eng) and eng != r["expected"] and eng != r["input"]:
                r["note"] = (r["note"] + f"; written {r['expected']}").strip("; ")
                r["expected"] = eng


# ---------------------------------------------------------------- Sefaria linker tests


def _setup_texts(tree: ast.Module) -> dict[str, str]:
    texts: dict[str, str] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.targets[0].value, ast.Name)
            and node.targets[0].value.id == "texts"
        ):
            k, v = _const(node.targets[0].slice), _const(node.value)
            if isinstance(k, str) and isinstance(v, str):
                texts[k] = v
    return texts


def _link_cases(source: Source) -> list[dict[str, Any]]:
    tree = ast.parse(source.text)
    texts = _setup_texts(tree)
    cases: list[dict[str, Any]] = []

    def is_call(n: ast.AST) -> TypeGuard[ast.Call]:
        return (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "get_refs_in_string"
        )

    for fn in ast.walk(tree):
        if not (isinstance(fn, ast.FunctionDef) and fn.name.startswith("test")) or _is_skipped(fn):
            continue
        src = ast.unparse(fn)
        if "get_refs_in_string" not in src:
            continue
        local: dict[str, Any] = {}
        assigns: list[tuple[int, str, Any]] = []
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                v = _const(node.value)
                if v is not None:
                    local[node.targets[0].id] = v
                    assigns.append((node.lineno, node.targets[0].id, v))

        def value_at(name: str, line: int, assigns: list[tuple[int, str, Any]] = assigns) -> Any:
            """The value `name` holds at `line`: the latest assignment before it."""
            best = [v for ln, n, v in sorted(assigns, key=lambda a: a[0]) if n == name and ln < line]
            return best[-1] if best else None

        # expected refs stated anywhere in the function: Ref("...") literals outside the call
        expected = [a for n in ast.walk(fn) if (a := _ref_arg(n, {})) is not None]
        empty = bool(re.search(r"== \[\]|set\(\) ==|len\(ref\) == 0", src))
        calls: list[ast.Call] = sorted((n for n in ast.walk(fn) if is_call(n)), key=lambda n: n.lineno)
        texts_here: list[tuple[str, list[str]]] = []
        # the loop form: test_strings = [FMT.format(t) for t in trefs]; each expects [Ref(trefs[i])]
        fmt = re.search(
            r"test_strings = \[('[^']*'|\"[^\"]*\")\.format\(temp_tref\) for temp_tref in trefs\]", src
        )
        if fmt and isinstance(local.get("trefs"), list):
            pattern = ast.literal_eval(fmt.group(1))
            for tref in local["trefs"]:
                texts_here.append((pattern.format(tref), [] if empty else [tref]))
        else:
            for call in calls:
                arg = call.args[0]
                ts: list[str] = []
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    ts = [arg.value]
                elif isinstance(arg, ast.Name) and isinstance(value_at(arg.id, call.lineno), str):
                    ts = [value_at(arg.id, call.lineno)]
                elif (
                    isinstance(arg, ast.Subscript)
                    and isinstance(arg.value, ast.Name)
                    and arg.value.id == "texts"
                ):
                    k = _const(arg.slice)
                    if isinstance(k, str) and k in texts:
                        ts = [texts[k]]
                    elif isinstance(arg.slice, ast.Name):  # for a in [...]: texts[a]
                        for n in ast.walk(fn):
                            if (
                                isinstance(n, ast.For)
                                and isinstance(n.target, ast.Name)
                                and n.target.id == arg.slice.id
                            ):
                                ts = [texts[k2] for k2 in (_const(n.iter) or []) if k2 in texts]
                for t in ts:
                    texts_here.append((t, [] if empty else expected))
        # a function with several calls and one branch per call: keep each call's own expectations
        if (
            len(calls) > 1
            and not fmt
            and len(texts_here) == len(calls)
            and len(set(t for t, _ in texts_here)) > 1
        ):
            texts_here = _split_expectations(fn, texts_here, texts, local)
        for text, exp in texts_here:
            cases.append({"text": text, "expected_as_written": exp, "test": fn.name, "file": source.path})
    return cases


def _split_expectations(
    fn: ast.FunctionDef, texts_here: list[tuple[str, list[str]]], texts: dict[str, str], local: dict[str, Any]
) -> list[tuple[str, list[str]]]:
    """Attribute to each call the Ref literals of the statements between it and the next call."""
    out: list[tuple[str, list[str]]] = []
    stmts = [s for s in fn.body]
    current: list[str] | None = None
    i = 0
    for st in stmts:
        if "get_refs_in_string" in ast.unparse(st) and not isinstance(st, ast.Assert):
            if current is not None:
                out.append((texts_here[i][0], current))
                i += 1
            current = []
        elif "get_refs_in_string" in ast.unparse(st):
            # `assert get_refs_in_string(x) == [Ref(..)]`: a complete case in one line
            if current is not None:
                out.append((texts_here[i][0], current))
                i += 1
            out.append((texts_here[i][0], [a for n in ast.walk(st) if (a := _ref_arg(n, {})) is not None]))
            i += 1
            current = None
            continue
        if current is not None:
            current.extend(a for n in ast.walk(st) if (a := _ref_arg(n, {})) is not None)
            if re.search(r"== \[\]|len\(ref\) == 0", ast.unparse(st)):
                current.append("<none>")
    if current is not None and i < len(texts_here):
        out.append((texts_here[i][0], current))
    if len(out) != len(texts_here):
        return texts_here
    return [(t, [] if "<none>" in e else e) for t, e in out]


def _finish_link(cases: list[dict[str, Any]], ref_rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    stated = {
        r["input"]: r["expected"] for r in ref_rows if r["kind"] in ("normal", "equal") and r["expected"]
    }
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for c in cases:
        if c["text"] in seen:
            continue
        seen.add(c["text"])
        exp: list[str] = []
        origin = "test"
        for w in c["expected_as_written"]:
            if w in HE_NORMALS:
                exp.append(HE_NORMALS[w])
            elif w in stated and not re.search("[\u0590-\u05ff]", stated[w]):
                exp.append(stated[w])
            else:
                exp.append(w)
        if not c["expected_as_written"] and not re.search(
            r"no reference|NOT parse|graceful|Job done|בני ישראל|פתיחתא", c["text"]
        ):
            for key, refs in COUNT_ONLY.items():
                if key in c["text"] or key == c.get("key"):
                    exp, origin = list(refs), "hand (the test asserts a count)"
        if "ילקוט שמעוני אסתר" in c["text"]:
            continue  # the test asserts only `sections[0] == 1`, not which node of the Yalkut: no ref to state
        if "Susanna" in c["text"] or "שושנה" in c["text"]:
            exp = [e for e in exp if "Susanna" not in e]
            origin = "test (citing_only=True branch; Apocrypha must not be linked)"
        out.append({**c, "expected": sorted(set(exp), key=exp.index), "expected_from": origin})
    return out


def _fill_count_only(cases: list[dict[str, Any]], texts: dict[str, str]) -> None:
    by_text = {v: k for k, v in texts.items()}
    for c in cases:
        key = by_text.get(c["text"])
        if key and key in COUNT_ONLY and not c["expected_as_written"]:
            c["key"] = key


# ---------------------------------------------------------------- BCV English spec

OSIS_OT = {
    "Gen": "Genesis",
    "Exod": "Exodus",
    "Lev": "Leviticus",
    "Num": "Numbers",
    "Deut": "Deuteronomy",
    "Josh": "Joshua",
    "Judg": "Judges",
    "Ruth": "Ruth",
    "1Sam": "I Samuel",
    "2Sam": "II Samuel",
    "1Kgs": "I Kings",
    "2Kgs": "II Kings",
    "1Chr": "I Chronicles",
    "2Chr": "II Chronicles",
    "Ezra": "Ezra",
    "Neh": "Nehemiah",
    "Esth": "Esther",
    "Job": "Job",
    "Ps": "Psalms",
    "Prov": "Proverbs",
    "Eccl": "Ecclesiastes",
    "Song": "Song of Songs",
    "Isa": "Isaiah",
    "Jer": "Jeremiah",
    "Lam": "Lamentations",
    "Ezek": "Ezekiel",
    "Dan": "Daniel",
    "Hos": "Hosea",
    "Joel": "Joel",
    "Amos": "Amos",
    "Obad": "Obadiah",
    "Jonah": "Jonah",
    "Mic": "Micah",
    "Nah": "Nahum",
    "Hab": "Habakkuk",
    "Zeph": "Zephaniah",
    "Hag": "Haggai",
    "Zech": "Zechariah",
    "Mal": "Malachi",
}

# Full English names people write for each book (besides Sefaria's title), lowercase.
FULL_NAMES = {
    "Gen": ["genesis"],
    "Exod": ["exodus"],
    "Lev": ["leviticus"],
    "Num": ["numbers"],
    "Deut": ["deuteronomy"],
    "Josh": ["joshua"],
    "Judg": ["judges"],
    "Ruth": ["ruth"],
    "1Sam": ["1 samuel", "i samuel", "first samuel", "1st samuel"],
    "2Sam": ["2 samuel", "ii samuel", "second samuel", "2nd samuel"],
    "1Kgs": ["1 kings", "i kings", "first kings", "1st kings"],
    "2Kgs": ["2 kings", "ii kings", "second kings", "2nd kings"],
    "1Chr": ["1 chronicles", "i chronicles", "first chronicles", "1st chronicles"],
    "2Chr": ["2 chronicles", "ii chronicles", "second chronicles", "2nd chronicles"],
    "Ezra": ["ezra"],
    "Neh": ["nehemiah"],
    "Esth": ["esther"],
    "Job": ["job"],
    "Ps": ["psalms", "psalm"],
    "Prov": ["proverbs"],
    "Eccl": ["ecclesiastes", "qoheleth", "kohelet"],
    "Song": ["song of songs", "song of solomon", "canticles", "song of songs"],
    "Isa": ["isaiah"],
    "Jer": ["jeremiah"],
    "Lam": ["lamentations"],
    "Ezek": ["ezekiel"],
    "Dan": ["daniel"],
    "Hos": ["hosea"],
    "Joel": ["joel"],
    "Amos": ["amos"],
    "Obad": ["obadiah"],
    "Jonah": ["jonah"],
    "Mic": ["micah"],
    "Nah": ["nahum"],
    "Hab": ["habakkuk"],
    "Zeph": ["zephaniah"],
    "Hag": ["haggai"],
    "Zech": ["zechariah"],
    "Mal": ["malachi"],
}

# SBL Handbook abbreviations, the OSIS ids and the Chicago Manual's short forms (lowercase, no period).
STANDARD_ABBREVS = {
    "Gen": ["gen", "gn"],
    "Exod": ["exod", "exo", "ex"],
    "Lev": ["lev", "lv"],
    "Num": ["num", "nm"],
    "Deut": ["deut", "dt"],
    "Josh": ["josh"],
    "Judg": ["judg", "jdg"],
    "Ruth": ["ruth", "ru"],
    "1Sam": ["1 sam", "1sam", "i sam"],
    "2Sam": ["2 sam", "2sam", "ii sam"],
    "1Kgs": ["1 kgs", "1kgs", "i kgs", "1 kings"],
    "2Kgs": ["2 kgs", "2kgs", "ii kgs", "2 kings"],
    "1Chr": ["1 chr", "1chr", "i chr", "1 chron", "i chron"],
    "2Chr": ["2 chr", "2chr", "ii chr", "2 chron", "ii chron"],
    "Ezra": ["ezra"],
    "Neh": ["neh"],
    "Esth": ["esth", "est"],
    "Job": ["job"],
    "Ps": ["ps", "pss", "psa"],
    "Prov": ["prov", "prv"],
    "Eccl": ["eccl", "eccles", "qoh", "eccle"],
    "Song": ["song", "cant", "song of sol"],
    "Isa": ["isa"],
    "Jer": ["jer"],
    "Lam": ["lam"],
    "Ezek": ["ezek"],
    "Dan": ["dan"],
    "Hos": ["hos"],
    "Joel": ["joel"],
    "Amos": ["amos"],
    "Obad": ["obad"],
    "Jonah": ["jonah"],
    "Mic": ["mic"],
    "Nah": ["nah"],
    "Hab": ["hab"],
    "Zeph": ["zeph"],
    "Hag": ["hag"],
    "Zech": ["zech"],
    "Mal": ["mal"],
}

# Where the English (KJV) numbering that BCV's OSIS output uses differs from the Hebrew (Sefaria):
# (OSIS book, chapter) pairs. Psalms: every psalm with a superscription of one or two verses.
_PS_TITLED = (
    set(range(3, 10))
    | set(range(11, 33))
    | set(range(34, 43))
    | set(range(44, 71))
    | set(range(72, 93))
    | {
        98,
        100,
        101,
        102,
        103,
        108,
        109,
        110,
        120,
        121,
        122,
        123,
        124,
        125,
        126,
        127,
        128,
        129,
        130,
        131,
        132,
        133,
        134,
        138,
        139,
        140,
        141,
        142,
        143,
        144,
        145,
    }
)
VERSIFICATION = {
    "Gen": {31, 32},
    "Exod": {8, 22},
    "Lev": {6},
    "Num": {16, 17, 29, 30},
    "Deut": {12, 13, 22, 23, 28, 29},
    "1Sam": {20, 21, 23, 24},
    "2Sam": {18, 19},
    "1Kgs": {4, 5, 18, 20, 22},
    "2Kgs": {11, 12},
    "1Chr": {5, 6, 12},
    "2Chr": {1, 2, 13, 14},
    "Neh": {3, 4, 9, 10},
    "Job": {40, 41},
    "Ps": _PS_TITLED,
    "Eccl": {4, 5},
    "Song": {6, 7},
    "Isa": {8, 9, 63, 64},
    "Jer": {8, 9},
    "Ezek": {20, 21},
    "Dan": {3, 4, 5, 6},
    "Hos": {1, 2, 11, 12, 13, 14},
    "Joel": {2, 3},
    "Jonah": {1, 2},
    "Mic": {4, 5},
    "Nah": {1, 2},
    "Zech": {1, 2},
    "Mal": {3, 4},
}

_EXPECT = re.compile(r'expect\(p\.parse\("((?:[^"\\]|\\.)*)"\)\.osis\(\)\)\.toEqual\("([^"]*)"\)')
_OSIS = re.compile(r"^(\d?[A-Za-z]+)\.(\d+)(?:\.(\d+))?(?:-(\d?[A-Za-z]+)\.(\d+)(?:\.(\d+))?)?$")


def _osis_to_sefaria(osis: str) -> tuple[str, bool] | None:
    """`Gen.1.1` -> (`Genesis 1:1`, versification differs?), for a single passage of the Tanakh."""
    m = _OSIS.match(osis)
    if not m or m.group(1) not in OSIS_OT:
        return None
    b, c, v, b2, c2, v2 = m.groups()
    if b2 and b2 != b:
        return None
    title = OSIS_OT[b]
    start = f"{c}:{v}" if v else c
    out = f"{title} {start}"
    if b2:
        if v and v2:
            out += f"-{v2}" if c2 == c else f"-{c2}:{v2}"
        elif not v and not v2:
            out += f"-{c2}"
        else:
            return None
    chapters = {int(c)} | ({int(c2)} if c2 else set())
    # the first verse of the first chapter is numbered alike everywhere (no psalm before 3 has a title)
    differs = bool(chapters & VERSIFICATION.get(b, set())) and (c, v, c2) != ("1", "1", None)
    return out, differs


def _bcv_class(inp: str, osis_book: str) -> str:
    m = re.match(r"^\s*(.+?)\s*\d+(?::\d+)?\s*$", inp)
    name = (m.group(1) if m else inp).lower().rstrip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if name in FULL_NAMES.get(osis_book, []):
        return "full_name"
    if name in STANDARD_ABBREVS.get(osis_book, []) or name == osis_book.lower():
        return "standard_abbrev"
    return "other"


def _bcv(source: Source) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    ot: list[dict[str, str]] = []
    refuse: list[dict[str, str]] = []
    block = ""
    seen: set[str] = set()
    in_it_with_options = False
    for line in source.text.splitlines():
        d = re.match(r'describe\("([^"]*)"', line)
        if d:
            block = d.group(1)
            continue
        if re.match(r"\s*it\(", line):
            in_it_with_options = False
        if line.startswith(("\t\tp.set_options", "\t\t\tp.set_options")) and (
            not block.startswith("Localized book") or "include_apocrypha" in line
        ):
            in_it_with_options = True
        for m in _EXPECT.finditer(line):
            inp = json.loads(f'"{m.group(1)}"')
            osis = m.group(2)
            if inp in seen or in_it_with_options:
                continue
            if not (block.startswith("Localized book") or block.startswith("Miscellaneous")):
                continue
            seen.add(inp)
            book_block = block.removeprefix("Localized book ").removesuffix(" (en)")
            if osis == "":
                # a string that must not parse: in an OT book's block it is a Tanakh refusal
                if book_block in OSIS_OT:
                    ot.append(
                        {
                            "input": inp,
                            "expected": "",
                            "class": "other",
                            "versification_differs": "0",
                            "osis": "",
                            "block": block,
                        }
                    )
                continue
            if "," in osis:
                continue  # sequences: several passages; the table is one string, one place
            conv = _osis_to_sefaria(osis)
            first_book = re.match(r"^(\d?[A-Za-z]+)", osis)
            fb = first_book.group(1) if first_book else ""
            if conv is not None:
                expected, differs = conv
                ot.append(
                    {
                        "input": inp,
                        "expected": expected,
                        "class": _bcv_class(inp, fb),
                        "versification_differs": "1" if differs else "0",
                        "osis": osis,
                        "block": block,
                    }
                )
            elif fb and fb not in OSIS_OT and "-" not in osis:
                refuse.append({"input": inp, "osis": osis, "block": block})
    return ot, refuse


# ---------------------------------------------------------------- output


def _write_tsv(path: Path, rows: list[dict[str, str]], cols: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            vals = [str(r.get(c, "")).replace("\t", " ").replace("\n", " ") for c in cols]
            f.write("\t".join(vals) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sefaria-git")
    ap.add_argument("--sefaria-dir")
    ap.add_argument("--sefaria-commit")
    ap.add_argument("--bcv-git")
    ap.add_argument("--bcv-dir")
    ap.add_argument("--bcv-commit")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Any] = {}

    ref_rows: list[dict[str, str]] = []
    for path in SEFARIA_REF_FILES:
        src = _read(args.sefaria_git, args.sefaria_dir, args.sefaria_commit, "Sefaria/Sefaria-Project", path)
        sources[path] = {"repo": src.repo, "commit": src.commit, "licence": "GPL-3.0"}
        rc = _RefCases(src)
        rc.run()
        ref_rows.extend(rc.rows)
    _canonical_groups(ref_rows)
    _write_tsv(out / "sefaria_ref.tsv", ref_rows, ["input", "expected", "kind", "test", "file", "note"])

    link_cases: list[dict[str, Any]] = []
    for path in SEFARIA_LINK_FILES:
        src = _read(args.sefaria_git, args.sefaria_dir, args.sefaria_commit, "Sefaria/Sefaria-Project", path)
        sources[path] = {"repo": src.repo, "commit": src.commit, "licence": "GPL-3.0"}
        cs = _link_cases(src)
        _fill_count_only(cs, _setup_texts(ast.parse(src.text)))
        link_cases.extend(cs)
    link_rows = _finish_link(link_cases, ref_rows)
    (out / "sefaria_link.json").write_text(
        json.dumps(link_rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    src = _read(
        args.bcv_git, args.bcv_dir, args.bcv_commit, "openbibleinfo/Bible-Passage-Reference-Parser", BCV_SPEC
    )
    sources[BCV_SPEC] = {"repo": src.repo, "commit": src.commit, "licence": "MIT"}
    ot, refuse = _bcv(src)
    _write_tsv(
        out / "bcv_ot.tsv", ot, ["input", "expected", "class", "versification_differs", "osis", "block"]
    )
    _write_tsv(out / "bcv_refuse.tsv", refuse, ["input", "osis", "block"])
    (out / "SOURCES.json").write_text(json.dumps(sources, indent=1) + "\n", encoding="utf-8")
    print(
        f"sefaria_ref: {len(ref_rows)} cases; sefaria_link: {len(link_rows)} texts; "
        f"bcv_ot: {len(ot)}; bcv_refuse: {len(refuse)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
