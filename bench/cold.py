"""Cold starts as a user meets them: whole `madrega` processes, wall time, median of several runs.

Baseline (same run): `python -c "import madrega; madrega.refs.catalog()"`, a bare process that loads the
catalog. Measured: `madrega ref|numeral|gematria WORD|--help` (output discarded) and `madrega ref` with a
terminal as its output (a pseudo-terminal: what a person typing it meets); `madrega link` of a one-page English
file and of a one-page Hebrew file against the whole library; a gematria lookup of phrases (one page);
`madrega serve` from the moment it prints its address to its first page (home, a reader page, a
search). The library is the one `library init` builds (`--db` to reuse one; otherwise built into a
temporary directory, removed at the end). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from _common import MADREGA, free_port, library_init, stop

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "linker"
RUNS = int(os.environ.get("MADREGA_BENCH_RUNS", "7"))


def wall(argv: list[str], env: dict[str, str], runs: int = RUNS, terminal: bool = False) -> float:
    """Median wall seconds of a whole process (a failure stops the bench). Its output goes nowhere, or,
    `terminal`, to a pseudo-terminal, as when a person types the command (read until it closes)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if not terminal:
            done = subprocess.run(
                argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
            )
            code, err = done.returncode, done.stderr
        else:
            leader, follower = pty.openpty()
            proc = subprocess.Popen(argv, env=env, stdout=follower, stderr=subprocess.PIPE)
            os.close(follower)
            while True:
                try:
                    if not os.read(leader, 65536):
                        break
                except OSError:  # the other end closed: the command is done
                    break
            os.close(leader)
            err = proc.communicate()[1]
            code = proc.returncode
        times.append(time.perf_counter() - start)
        if code != 0:
            raise SystemExit(f"{argv[3:]} failed: {err.decode()[-400:]}")
    return statistics.median(times)


def english_page() -> str:
    """About one page of English prose with references, varied (not one paragraph repeated)."""
    rng = random.Random(5785)
    base = (FIXTURES / "english.txt").read_text(encoding="utf-8")
    refs = ["Genesis 1:1", "Job 8:7", "Psalms 23:4", "Berakhot 5a", "Isaiah 51:16", "Leviticus 19:18"]
    words = [
        "the",
        "teacher",
        "asked",
        "us",
        "to",
        "read",
        "slowly",
        "and",
        "to",
        "notice",
        "how",
        "every",
        "small",
        "step",
        "builds",
        "on",
        "the",
        "last",
    ]
    parts = [base]
    while sum(len(p) for p in parts) < 3000:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize()
        parts.append(f"{sentence}, as {rng.choice(refs)} teaches.")
    return " ".join(parts)


def hebrew_page(db: Path) -> str:
    """About one page of Hebrew: the fixture's quotations and references, and a Mishnah chapter."""
    import sqlite3

    conn = sqlite3.connect(db)
    rows = [
        r[0]
        for r in conn.execute("SELECT plain FROM segments WHERE ref LIKE 'Mishnah Berakhot 2:%' ORDER BY id")
    ]
    conn.close()
    return (FIXTURES / "hebrew.txt").read_text(encoding="utf-8") + "\n" + "\n".join(rows)[:2500]


def serve_first_pages(env: dict[str, str], db: Path) -> dict[str, float]:
    """Seconds from `madrega serve` printing its address to each first page."""
    port = free_port()
    proc = subprocess.Popen(
        [*MADREGA, "serve", "--db", str(db), "--port", str(port)],
        env={**env, "COLUMNS": "400"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out: dict[str, float] = {}
    try:
        assert proc.stdout is not None
        started = time.perf_counter()
        while True:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("madrega serve ended before printing its address")
            if f":{port}/" in line:
                break
        printed = time.perf_counter()
        out["serve_to_url_s"] = printed - started
        base = f"http://127.0.0.1:{port}"
        for name, path in (
            ("home", "/"),
            ("read", "/read/Genesis%201"),
            ("search", "/search?q=%D7%90%D7%A8%D7%A5"),
        ):
            while True:
                try:
                    r = httpx.get(base + path, timeout=60)
                    break
                except httpx.ConnectError:
                    time.sleep(0.01)
            assert r.status_code == 200, (path, r.status_code)
            out[f"first_{name}_s"] = time.perf_counter() - printed
    finally:
        stop(proc)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a library `library init` built (reused, not removed)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-cold-"))
    cache = tmp / "cache"
    env = {**os.environ, "MADREGA_CACHE_DIR": str(cache), "MADREGA_OFFLINE": "1"}
    # An installed package has its bytecode (pip compiles it; an editable install writes it on the
    # first run): a user's cold start never compiles the sources. A shell that sets
    # PYTHONDONTWRITEBYTECODE would time the compiler instead (`figures.bytecode` says which it was).
    if not os.environ.get("MADREGA_BENCH_NO_BYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    try:
        db = args.db
        if db is None:
            db = tmp / "library.sqlite"
            library_init(db, env)
        env["MADREGA_DB"] = str(db)
        english, hebrew = tmp / "page-en.txt", tmp / "page-he.txt"
        english.write_text(english_page(), encoding="utf-8")
        hebrew.write_text(hebrew_page(db), encoding="utf-8")
        subprocess.run(
            [*MADREGA, "link", str(english)], env=env, check=True, stdout=subprocess.DEVNULL
        )  # the cache
        baseline = wall(
            [sys.executable, "-c", "import madrega; from madrega.refs import catalog; catalog()"], env
        )
        python = wall([sys.executable, "-c", "pass"], env)
        figures: dict[str, Any] = {
            "python_s": round(python, 4),
            "baseline_s": round(baseline, 4),
            "bytecode": "PYTHONDONTWRITEBYTECODE" not in env,
        }
        commands = {
            "ref_s": ["ref", "Job 8:7"],
            "numeral_s": ["numeral", "5785"],
            "gematria_word_s": ["gematria", "ספר"],
            "help_s": ["--help"],
            "link_english_s": ["link", str(english)],
            "link_hebrew_s": ["link", str(hebrew)],
            "gematria_phrases_s": ["gematria", "340", "--words", "4"],
            "search_s": ["search", "בראשית ברא"],
        }
        # What a person at a terminal meets (styles on; `ref` then draws its bold headers itself).
        figures["ref_terminal_s"] = round(
            wall([*MADREGA, "ref", "Job 8:7"], {**env, "TERM": "xterm-256color"}, terminal=True), 4
        )
        print(f"  madrega ref Job 8:7 (at a terminal): {figures['ref_terminal_s'] * 1000:.0f} ms")
        for name, argv in commands.items():
            figures[name] = round(wall([*MADREGA, *argv], env), 4)
            print(
                f"  madrega {' '.join(argv[:1] + [a if len(a) < 30 else Path(a).name for a in argv[1:]])}: {figures[name] * 1000:.0f} ms"
            )
        serve = [serve_first_pages(env, db) for _ in range(3)]
        for key in serve[0]:
            figures[key] = round(statistics.median(s[key] for s in serve), 3)
        print(
            f"  serve: address after {figures['serve_to_url_s']:.2f} s; then home {figures['first_home_s']:.2f} s, "
            f"reader {figures['first_read_s']:.2f} s, search {figures['first_search_s']:.2f} s"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    basic = ("ref_s", "ref_terminal_s", "numeral_s", "gematria_word_s", "help_s")
    ratios = {f"{k[:-2]}_vs_baseline": round(figures[k] / baseline, 2) for k in basic}
    ratios["worst_basic_vs_baseline"] = max(ratios.values())
    ratios["worst_basic_vs_250ms"] = round(max(figures[k] for k in basic) / 0.25, 2)
    ratios["link_english_vs_500ms"] = round(figures["link_english_s"] / 0.5, 2)
    ratios["link_hebrew_vs_1s"] = round(figures["link_hebrew_s"] / 1.0, 2)
    ratios["first_page_vs_1s"] = round(max(figures[k] for k in figures if k.startswith("first_")) / 1.0, 2)
    figures["load"] = round(os.getloadavg()[0], 2)
    print(
        f"baseline (python + catalog): {baseline * 1000:.0f} ms; python alone {python * 1000:.0f} ms; load {figures['load']}"
    )
    print(json.dumps({"bench": "cold", "figures": figures, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
