"""Regenerate the reference tables the cycle tests compare against (tests/data/cycles/).

    python scripts/cycle_reference.py [--first 2024-10-03] [--last 2027-10-01]

Two independent implementations, neither of them a dependency of madrega:
- npm `@hebcal/learning` + `@hebcal/core` (BSD-2-Clause), installed with npm into a tools directory
  outside the repository (`$MADREGA_TOOLS`, default ~/.cache/madrega/reference-tools) and run by node
  through scripts/cycle_reference.mjs;
- Debian's `hebcal` command (GPL-2.0), `apt-get install hebcal`: its Daf Yomi (-F) and weekly
  portions (-s, -i for Israel).
The tables record the tool versions and the command in their header lines (`#`). The tests read the
committed tables, so they need neither tool.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "cycles"
PACKAGES = ("@hebcal/learning", "@hebcal/core", "@hebcal/hdate", "@hebcal/leyning")


def tools_dir() -> Path:
    base = os.environ.get("MADREGA_TOOLS") or str(Path.home() / ".cache" / "madrega" / "reference-tools")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    if not (path / "package.json").exists():
        (path / "package.json").write_text('{"name": "madrega-reference-tools", "private": true}\n')
    if not all((path / "node_modules" / p).exists() for p in PACKAGES):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", *PACKAGES], cwd=path, check=True)
    return path


def npm_versions(path: Path) -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        meta = json.loads((path / "node_modules" / name / "package.json").read_text())
        out[name] = f"{meta['version']} ({meta.get('license', '?')})"
    return out


def hebcal_learning(first: str, last: str) -> None:
    path = tools_dir()
    script = path / "cycle_reference.mjs"
    shutil.copy(ROOT / "scripts" / "cycle_reference.mjs", script)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    rows = subprocess.run(
        ["node", str(script), first, last], cwd=path, capture_output=True, text=True, check=True
    )
    header = [
        "# Daily study cycles computed by @hebcal/learning through @hebcal/core's DailyLearning.",
        "# versions: " + "; ".join(f"{k} {v}" for k, v in npm_versions(path).items()) + f"; node {node}",
        f"# command: python scripts/cycle_reference.py --first {first} --last {last}",
        "# licence of the data: BSD-2-Clause (hebcal-learning, Michael J. Radwin and contributors)",
        "# columns: civil date, cycle, israel, Sefaria address of the event's url(), rendered text, raw result",
    ]
    (OUT / "hebcal-learning.tsv").write_text("\n".join(header) + "\n" + rows.stdout, encoding="utf-8")


def hebcal_leyning(first: str, last: str) -> None:
    """The aliyot of each Shabbat's portion (and of a double week's combined reading), abroad and in Israel."""
    path = tools_dir()
    script = path / "leyning_reference.mjs"
    shutil.copy(ROOT / "scripts" / "leyning_reference.mjs", script)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    rows = subprocess.run(
        ["node", str(script), first, last], cwd=path, capture_output=True, text=True, check=True
    )
    versions = npm_versions(path)
    header = [
        "# The aliyot of the weekly portion, from @hebcal/leyning's getLeyningForParsha (full kriyah) on each",
        "# Shabbat that reads a portion (@hebcal/core's getSedra), abroad (0) and in Israel (1).",
        "# versions: "
        + "; ".join(f"{k} {versions[k]}" for k in ("@hebcal/leyning", "@hebcal/core", "@hebcal/hdate"))
        + f"; node {node}",
        f"# command: python scripts/cycle_reference.py --first {first} --last {last}",
        "# licence of the data: BSD-2-Clause (hebcal-leyning, Michael J. Radwin and contributors)",
        "# columns: civil date, israel, portion, reading (portion | combined), aliyah, book, first verse, last verse",
    ]
    (OUT / "hebcal-leyning.tsv").write_text("\n".join(header) + "\n" + rows.stdout, encoding="utf-8")


def hebcal_debian(first: str, last: str) -> None:
    if shutil.which("hebcal") is None:
        raise SystemExit("Debian's hebcal is missing: apt-get install hebcal")
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "hebcal"], capture_output=True, text=True
    ).stdout
    lines = []
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    years = range(start.year, end.year + 1)
    for flags, label in (
        (["-F", "-h", "-x"], "dafyomi"),
        (["-s", "-h", "-x"], "sedra"),
        (["-s", "-i", "-h", "-x"], "sedra-israel"),
    ):
        for year in years:
            result = subprocess.run(
                ["hebcal", "-g", *flags, str(year)], capture_output=True, text=True, check=True
            )
            for row in result.stdout.splitlines():
                day, _, text = row.partition(" ")
                if first <= day <= last and (label == "dafyomi") == text.startswith("Daf Yomi: "):
                    if label != "dafyomi" and not text.startswith("Parashat "):
                        continue
                    lines.append(f"{day}\t{label}\t{text}")
    header = [
        "# Daf Yomi and weekly portions from Debian's hebcal command (the C hebcal by Danny Sadinoff).",
        f"# version: hebcal {version} (GPL-2.0)",
        "# commands: hebcal -g -F -h -x YEAR; hebcal -g -s -h -x YEAR; hebcal -g -s -i -h -x YEAR",
        "# columns: civil date, table, text",
    ]
    (OUT / "hebcal-debian.tsv").write_text(
        "\n".join(header) + "\n" + "\n".join(sorted(lines)) + "\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", default="2024-10-03", help="first civil day (default 1 Tishrei 5785)")
    parser.add_argument("--last", default="2027-10-01", help="last civil day (default 29 Elul 5787)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    hebcal_learning(args.first, args.last)
    hebcal_leyning(args.first, args.last)
    hebcal_debian(args.first, args.last)


if __name__ == "__main__":
    main()
