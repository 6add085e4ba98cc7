"""Every cycle, every day of three Hebrew years (5785-5787), against two independent implementations:
@hebcal/learning and Debian's hebcal, through the tables scripts/cycle_reference.py generated
(tests/data/cycles/; neither tool is needed to run this)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from madrega.practice import cycles

DATA = Path(__file__).parent / "data" / "cycles"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r and not r[0].startswith("#")]


REFERENCE: dict[str, list[tuple[date, bool, str, str, Any]]] = defaultdict(list)
for _day, _name, _il, _address, _text, _raw in _rows("hebcal-learning.tsv"):
    REFERENCE[_name].append((date.fromisoformat(_day), _il == "1", _address, _text, json.loads(_raw)))
FIRST, LAST = min(r[0] for rs in REFERENCE.values() for r in rs), max(r[0] for rs in REFERENCE.values() for r in rs)


def test_the_reference_spans_three_hebrew_years() -> None:
    assert (cycles.hebrew_date(FIRST).year, cycles.hebrew_date(FIRST).month, cycles.hebrew_date(FIRST).day) == (5785, 7, 1)
    assert cycles.hebrew_date(LAST).year == 5787 and (LAST - FIRST).days + 1 == 1094
    assert len(REFERENCE["dafYomi"]) == 1094


# Where hebcal's links spell a title otherwise than Sefaria's canonical one (Sefaria accepts both).
HEBCAL_TITLES = {"Nachum": "Nahum"}


def url_form(ref: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A ref (ours, 'Psalms 119:1-96', or Sefaria's URL form, 'Psalms.119.1-119.96') as (title, start, end)."""
    ref = ref.replace("_", " ")
    match = re.match(r"^(.*?)[ .](\d[\dab:.]*(?:-[\dab:.]+)?)$", ref)
    assert match, ref
    title, address = match.groups()
    title = HEBCAL_TITLES.get(title, title)
    first, _, last = address.partition("-")
    a = tuple(re.split(r"[.:]", first))
    b = tuple(re.split(r"[.:]", last)) if last else a
    return title, a, a[: len(a) - len(b)] + b


def compare(key: str, reference: str, check: Any, *, israel: bool | None = None) -> int:
    """Run `check(ours, address, text, raw)` on every reference day; return how many were checked."""
    checked = 0
    for day, il, address, text, raw in REFERENCE[reference]:
        if israel is not None and il != israel:
            continue
        ours = cycles.portion(key, day, il)
        check(day, ours, address, text, raw)
        checked += 1
    return checked


def same_address(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
    assert ours is not None, (day, text)
    if not address:  # a page hebcal has no link for (the last daf of Yerushalmi Niddah): ours names the tractate
        assert ours.ref.startswith("Jerusalem Talmud "), (day, ours.ref)
        return
    assert url_form(ours.ref) == url_form(address), (day, ours.ref, address)


@pytest.mark.parametrize(
    ("key", "reference"),
    [
        ("mishnah_yomit", "mishnaYomi"),
        ("perek_yomi", "perekYomi"),
        ("nach_yomi", "nachYomi"),
        ("arukh_hashulchan", "arukhHaShulchanYomi"),
        ("yerushalmi_vilna", "yerushalmi-vilna"),
        ("rambam", "rambam1"),
    ],
)
def test_cycle_matches_hebcal_every_day(key: str, reference: str) -> None:
    assert compare(key, reference, same_address) >= 1080


def test_daf_yomi_matches_both_references_every_day() -> None:
    names = cycles._learning()["talmud_names"]
    debian = {date.fromisoformat(d): text for d, table, text in _rows("hebcal-debian.tsv") if table == "dafyomi"}

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        daf = cycles.daf_yomi(day)
        assert (daf.tractate, daf.daf) == (names.get(raw["name"], raw["name"]), raw["blatt"]), day
        assert debian[day] == f"Daf Yomi: {raw['name']} {raw['blatt']}"

    assert compare("daf_yomi", "dafYomi", check) == 1094 == len(debian)


@pytest.mark.parametrize(("key", "reference"), [("daf_weekly", "dafWeekly"), ("yerushalmi_schottenstein", "yerushalmi-schottenstein")])
def test_page_cycles_match_hebcal_every_day(key: str, reference: str) -> None:
    names = cycles._learning()["talmud_names"]

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None, day
        assert f"{names.get(raw['name'], raw['name'])} {raw['blatt']}" in ours.label.replace(", daf", ""), (day, ours.label, raw)

    assert compare(key, reference, check) >= 1080


def test_amud_yomi_matches_hebcal_every_day() -> None:
    names = cycles._learning()["talmud_names"]

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None and ours.label == f"{names.get(raw['name'], raw['name'])} {raw['amud']}{raw['side']}", day
        if address:
            assert url_form(ours.ref) == url_form(address), (day, ours.ref, address)

    assert compare("amud_yomi", "dirshuAmudYomi", check) == 1094


def test_929_matches_hebcal_on_its_days_and_rests_on_the_others() -> None:
    days = {r[0]: r for r in REFERENCE["929"]}
    day = FIRST
    while day <= LAST:
        ours = cycles.portion("929", day)
        if day in days:
            same_address(day, ours, days[day][2], days[day][3], None)
        else:
            assert ours is None, day
        day = date.fromordinal(day.toordinal() + 1)


def test_rambam_three_chapters_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None
        chapters = [(r["name"], str(r["perek"])) for r in raw]
        spelled = [f"Mishneh Torah, {n} {p}" for n, p in chapters]
        covered = " ".join(ours.refs)
        for name, perek in chapters:
            assert f"Mishneh Torah, {name}" in covered, (day, ours.refs, spelled)
        assert len(ours.refs) == len({n for n, _ in chapters}), (day, ours.refs, spelled)

    assert compare("rambam3", "rambam3", check) == 1094


def test_sefer_hamitzvot_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None and ours.label == f"Day {raw['day']}: {raw['reading']}", (day, ours.label, raw)

    assert compare("sefer_hamitzvot", "seferHaMitzvot", check) == 1094


def test_monthly_tehillim_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None
        assert url_form(ours.ref) == url_form(address), (day, ours.ref, address)

    assert compare("tehillim", "psalms", check) == 1094


@pytest.mark.parametrize(("key", "reference"), [("chofetz_chaim", "chofetzChaim"), ("shemirat_halashon", "shemiratHaLashon")])
def test_dated_musar_cycles_start_where_hebcal_starts(key: str, reference: str) -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None
        if "Footnote" in address:  # Sefaria addresses a footnote of Shemirat HaLashon by name
            assert ours.ref.startswith(address.replace("_", " ").split(".")[0]), (day, ours.ref, address)
        elif re.search(r"\d$", address):
            assert url_form(ours.ref)[:2] == url_form(address)[:2], (day, ours.ref, address)
        else:  # a section read whole
            assert ours.ref.startswith(address.replace("_", " ")), (day, ours.ref, address)

    assert compare(key, reference, check) == 1094


def test_kitzur_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None, day
        assert ours.ref.removeprefix("Kitzur Shulchan Arukh ").startswith(raw["b"]), (day, ours.ref, raw)

    assert compare("kitzur", "kitzurShulchanAruch", check) >= 1085


@pytest.mark.parametrize("israel", [False, True])
def test_pirkei_avot_matches_hebcal_every_shabbat(israel: bool) -> None:
    read = {r[0]: r[4] for r in REFERENCE["pirkeiAvotSummer"] if r[1] == israel}
    day, shabbatot = FIRST, 0
    while day <= LAST:
        assert cycles.pirkei_avot_chapters(day, israel) == read.get(day, []), day
        shabbatot += day.weekday() == 5
        day = date.fromordinal(day.toordinal() + 1)
    assert len(read) > 50 and shabbatot > 150
