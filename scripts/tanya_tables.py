"""Build src/madrega/data/cycles/tanya.json (the daily Tanya for regular and leap years) from the dated
transcription of Chabad's calendar in tests/data/cycles/tanya-chabad.txt.

    python scripts/tanya_tables.py

A cycle runs from 19 Kislev to 18 Kislev and follows the division of the year whose Adar it spans:
regular or leap. Each table maps a Hebrew date ("month-day", Nisan = 1 ... Tishrei = 7 ... Adar II = 13)
to where that day's lesson starts; a lesson runs up to where the next day's starts. The script fails
if two years of the same kind disagree on a date, so the tables are what every transcribed year says.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from pyluach import dates, hebrewcal

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "cycles" / "tanya-chabad.txt"
TARGET = ROOT / "src" / "madrega" / "data" / "cycles" / "tanya.json"

PARTS = {
    "LA": "Tanya, Part I; Likkutei Amarim",
    "SY": "Tanya, Part II; Shaar HaYichud VehaEmunah",
    "IT": "Tanya, Part III; Iggeret HaTeshuvah",
    "IK": "Tanya, Part IV; Iggeret HaKodesh",
    "KA": "Tanya, Part V; Kuntres Acharon",
}
SPECIAL = {
    "T": ", Title Page ",
    "A": ", Approbation ",
    "F": ", Compiler's Foreword ",
    "CK": ", Chinukh Katan ",
}


def ref_of(part: str, token: str) -> str:
    """'LA', 'F9' -> "Tanya, Part I; Likkutei Amarim, Compiler's Foreword 9"."""
    match = re.fullmatch(r"([A-Z]*)(\d+(?::\d+)?)", token)
    if not match:
        raise ValueError(f"not a lesson start: {token}")
    prefix, address = match.groups()
    return PARTS[part] + (SPECIAL[prefix] + address if prefix else " " + address)


def read_transcription(path: Path = SOURCE) -> dict[date, str]:
    """Civil date -> the Sefaria ref where that day's Tanya starts."""
    out: dict[date, str] = {}
    day: date | None = None
    part = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("@"):
            day = date.fromisoformat(line[1:].strip())
            continue
        for token in line.split():
            if token in PARTS:
                part = token
                continue
            if day is None:
                raise ValueError("a lesson before any '@ date' line")
            out[day] = ref_of(part, token)
            day += timedelta(days=1)
    return out


def table_of(day: date) -> tuple[str, str]:
    """('leap' or 'regular', 'month-day') of a civil date."""
    hd = dates.HebrewDate.from_pydate(day)
    before_kislev_19 = hd.month in (7, 8) or (hd.month == 9 and hd.day < 19)
    year = hd.year - 1 if before_kislev_19 else hd.year
    return ("leap" if hebrewcal.Year(year).leap else "regular"), f"{hd.month}-{hd.day}"


def main() -> None:
    tables: dict[str, dict[str, str]] = {"regular": {}, "leap": {}}
    for day, ref in sorted(read_transcription().items()):
        kind, key = table_of(day)
        if tables[kind].setdefault(key, ref) != ref:
            raise SystemExit(f"{day}: {kind} {key} is {ref} here but {tables[kind][key]} in another year")
    data = {
        "_about": (
            "The daily Tanya (Chitas) by Hebrew date, for cycles (19 Kislev to 18 Kislev) of regular and leap "
            "years: where each day's lesson starts, as Sefaria segment refs; a lesson runs up to where the next "
            "day's starts. Built by scripts/tanya_tables.py from tests/data/cycles/tanya-chabad.txt, a "
            "transcription of Chabad's daily-study calendar as Sefaria-Data publishes it "
            "(sources/chabad/daily_study_tanya_calendar_-_data_-_daily_study_tanya_calendar_-_data.csv). "
            "Months: Nisan = 1 ... Tishrei = 7 ... Adar (I) = 12, Adar II = 13."
        ),
        "regular": tables["regular"],
        "leap": tables["leap"],
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"regular {len(tables['regular'])} days, leap {len(tables['leap'])} days -> {TARGET}")


if __name__ == "__main__":
    main()
