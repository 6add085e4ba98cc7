"""Every cycle, every day of three Hebrew years (5785-5787), against two independent implementations:
@hebcal/learning and Debian's hebcal, through the tables scripts/cycle_reference.py generated
(tests/data/cycles/; neither tool is needed to run this)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyluach.dates import HebrewDate

from madrega.practice import cycles

DATA = Path(__file__).parent / "data" / "cycles"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [
            r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r and not r[0].startswith("#")
        ]


REFERENCE: dict[str, list[tuple[date, bool, str, str, Any]]] = defaultdict(list)
for _day, _name, _il, _address, _text, _raw in _rows("hebcal-learning.tsv"):
    REFERENCE[_name].append((date.fromisoformat(_day), _il == "1", _address, _text, json.loads(_raw)))
FIRST, LAST = (
    min(r[0] for rs in REFERENCE.values() for r in rs),
    max(r[0] for rs in REFERENCE.values() for r in rs),
)


def test_the_reference_spans_three_hebrew_years() -> None:
    assert (
        cycles.hebrew_date(FIRST).year,
        cycles.hebrew_date(FIRST).month,
        cycles.hebrew_date(FIRST).day,
    ) == (5785, 7, 1)
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
    if (
        not address
    ):  # a page hebcal has no link for (the last daf of Yerushalmi Niddah): ours names the tractate
        assert ours.ref.startswith("Jerusalem Talmud "), (day, ours.ref)
        return
    if ours.ref == "Mishnah Bikkurim":  # its fourth chapter, not in the catalog's Mishnah: the label says it
        assert ours.note and url_form(ours.label) == url_form(address), (day, ours, address)
        return
    if url_form(ours.ref) != url_form(address) and ours.ref.startswith("Jerusalem Talmud Ketubot 4:12"):
        # the page map's Ketubot 4:14 is past the catalog's last halakha (13): ours ends there
        assert url_form(address)[1][:2] == ("4", "12"), (day, ours.ref, address)
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
    debian = {
        date.fromisoformat(d): text for d, table, text in _rows("hebcal-debian.tsv") if table == "dafyomi"
    }

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        daf = cycles.daf_yomi(day)
        assert (daf.tractate, daf.daf) == (names.get(raw["name"], raw["name"]), raw["blatt"]), day
        assert debian[day] == f"Daf Yomi: {raw['name']} {raw['blatt']}"

    assert compare("daf_yomi", "dafYomi", check) == 1094 == len(debian)


@pytest.mark.parametrize(
    ("key", "reference"),
    [("daf_weekly", "dafWeekly"), ("yerushalmi_schottenstein", "yerushalmi-schottenstein")],
)
def test_page_cycles_match_hebcal_every_day(key: str, reference: str) -> None:
    names = cycles._learning()["talmud_names"]

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None, day
        assert f"{names.get(raw['name'], raw['name'])} {raw['blatt']}" in ours.label.replace(", daf", ""), (
            day,
            ours.label,
            raw,
        )

    assert compare(key, reference, check) >= 1080


def test_amud_yomi_matches_hebcal_every_day() -> None:
    names = cycles._learning()["talmud_names"]

    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert (
            ours is not None
            and ours.label == f"{names.get(raw['name'], raw['name'])} {raw['amud']}{raw['side']}"
        ), day
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
        for name, _perek in chapters:
            assert f"Mishneh Torah, {name}" in covered, (day, ours.refs, spelled)
        assert len(ours.refs) == len({n for n, _ in chapters}), (day, ours.refs, spelled)

    assert compare("rambam3", "rambam3", check) == 1094


def test_sefer_hamitzvot_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None and ours.label == f"Day {raw['day']}: {raw['reading']}", (
            day,
            ours.label,
            raw,
        )

    assert compare("sefer_hamitzvot", "seferHaMitzvot", check) == 1094


def test_monthly_tehillim_matches_hebcal_every_day() -> None:
    def check(day: date, ours: cycles.Portion | None, address: str, text: str, raw: Any) -> None:
        assert ours is not None
        assert url_form(ours.ref) == url_form(address), (day, ours.ref, address)

    assert compare("tehillim", "psalms", check) == 1094


@pytest.mark.parametrize(
    ("key", "reference"), [("chofetz_chaim", "chofetzChaim"), ("shemirat_halashon", "shemiratHaLashon")]
)
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
        if raw["b"][0].isdigit():
            assert ours.ref.removeprefix("Kitzur Shulchan Arukh ").startswith(raw["b"]), (day, ours.ref, raw)
        else:  # the introduction
            assert ours.ref == "Kitzur Shulchan Arukh" and ours.label.startswith(raw["b"]), (day, ours, raw)

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


# The weekly portions in order, as hebcal names them (facts: the 54 portions of the Torah).
HEBCAL_PARSHIOT = (
    "Bereshit", "Noach", "Lech-Lecha", "Vayera", "Chayei Sara", "Toldot", "Vayetzei", "Vayishlach", "Vayeshev",
    "Miketz", "Vayigash", "Vayechi", "Shemot", "Vaera", "Bo", "Beshalach", "Yitro", "Mishpatim", "Terumah",
    "Tetzaveh", "Ki Tisa", "Vayakhel", "Pekudei", "Vayikra", "Tzav", "Shmini", "Tazria", "Metzora", "Achrei Mot",
    "Kedoshim", "Emor", "Behar", "Bechukotai", "Bamidbar", "Nasso", "Beha'alotcha", "Sh'lach", "Korach", "Chukat",
    "Balak", "Pinchas", "Matot", "Masei", "Devarim", "Vaetchanan", "Eikev", "Re'eh", "Shoftim", "Ki Teitzei",
    "Ki Tavo", "Nitzavim", "Vayeilech", "Ha'azinu", "Vezot Haberakhah",
)  # fmt: skip


def _portion_indices(names: str) -> list[int]:
    """'Matot-Masei' -> [41, 42] ('Lech-Lecha' is one portion)."""
    lower = [p.lower() for p in HEBCAL_PARSHIOT]
    if names.lower() in lower:
        return [lower.index(names.lower())]
    return [lower.index(n.lower()) for n in names.split("-")]


@pytest.mark.parametrize("israel", [False, True])
def test_weekly_portion_matches_both_references_every_shabbat(israel: bool) -> None:
    debian = {
        date.fromisoformat(d): text.removeprefix("Parashat ")
        for d, table, text in _rows("hebcal-debian.tsv")
        if table == ("sedra-israel" if israel else "sedra")
    }
    checked = 0
    for day, il, _address, text, raw in REFERENCE["parsha"]:
        if il != israel:
            continue
        if raw["chag"]:  # a festival Shabbat reads no portion: its week learns the next one
            assert day not in debian, day
            continue
        assert cycles.weekly_parshiot(day, israel, chitas=False) == _portion_indices(text), (day, text)
        assert _portion_indices(debian[day]) == _portion_indices(text), (day, debian[day])
        aliyot = cycles.aliyot_of_day(day, israel, chitas=False)
        assert [a.number for a in aliyot] == [7] * len(aliyot)  # Shabbat learns the seventh aliyah
        checked += 1
    assert checked > 140


def test_chitas_chumash_is_the_aliyah_with_rashi() -> None:
    portion = cycles.portion("chumash", date(2026, 11, 22))  # Sunday of Vayishlach
    assert portion is not None and portion.refs == ("Genesis 32:4-13", "Rashi on Genesis 32:4-13")
    double = cycles.portion("chumash", date(2023, 4, 17))  # Tazria-Metzora, Monday
    assert double is not None and double.refs[::2] == ("Leviticus 13:6-17", "Leviticus 14:13-20")


# ---------------------------------------------------------------- Tanya, Hayom Yom, weekly Tehillim


def test_tanya_starts_where_chabads_calendar_starts_every_day_of_three_years() -> None:
    """The dated calendar (Oct 2022 - Jan 2026: the end of a leap cycle, a regular, a leap and a
    regular cycle, and the start of another) against the tables by Hebrew date."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import tanya_tables

    dated = tanya_tables.read_transcription()
    assert len(dated) > 3 * 354
    for day, start in dated.items():
        assert cycles.tanya_start(day) == start, day
        ref, _label = cycles.tanya_portion(day)
        assert ref.startswith(start.rsplit(":", 1)[0].rsplit(" ", 1)[0]), (day, ref, start)


def test_tanya_portion_runs_to_the_next_days_start() -> None:
    assert cycles.tanya_portion(date(2024, 12, 23)) == (
        "Tanya, Part I; Likkutei Amarim 1:1-12",
        "Tanya, Part I; Likkutei Amarim 1:1-12",
    )
    ref, label = cycles.tanya_portion(date(2024, 12, 24))  # 23 Kislev: from 1:13 to the end of chapter 1
    assert ref == "Tanya, Part I; Likkutei Amarim 1:13" and label.endswith("to the end of chapter 1")
    assert (
        cycles.tanya_portion(date(2024, 12, 25))[0] == "Tanya, Part I; Likkutei Amarim 2"
    )  # a whole chapter
    assert (
        cycles.tanya_cycle(date(2024, 3, 11)) == "leap"
        and cycles.tanya_start(date(2024, 3, 11)) == "Tanya, Part I; Likkutei Amarim 34:4"
    )


def test_hayom_yom_reads_both_adars_in_a_regular_year() -> None:
    regular = cycles.portion("hayom_yom", date(2025, 3, 14))  # 14 Adar 5785
    leap = cycles.portion("hayom_yom", date(2024, 3, 24))  # 14 Adar II 5784
    assert regular is not None and regular.refs == ("Hayom Yom, Adar I 14", "Hayom Yom, Adar II 14")
    assert regular.label == "14 Adar I; 14 Adar II"
    assert leap is not None and leap.refs == ("Hayom Yom, Adar II 14",)
    thirtieth = cycles.portion("hayom_yom", date(2024, 12, 1))  # 30 Cheshvan 5785
    assert thirtieth is not None and thirtieth.refs == ("Hayom Yom, Cheshvan 29",)


def test_weekly_tehillim_finishes_the_book_each_week() -> None:
    sunday = date(2025, 1, 5)
    refs = [cycles.portion("tehillim_weekly", sunday + timedelta(days=i)).ref for i in range(7)]  # type: ignore[union-attr]
    assert refs[0] == "Psalms 1-29" and refs[6] == "Psalms 120-150"
    chapters = [n for r in refs for n in range(int(r.split()[1].split("-")[0]), int(r.split("-")[1]) + 1)]
    assert chapters == list(range(1, 151))


def test_every_portion_of_a_leap_year_is_a_ref_the_parser_reads() -> None:
    """Every cycle, every day of 5787 (a leap year: Adar I and II), abroad, and in Israel for the cycles
    that differ there: each portion's refs parse, and their canonical form is the ref itself (so the
    reader opens what Today shows, or says the work is to be fetched)."""
    from madrega import refs

    first, last = HebrewDate(5787, 7, 1).to_pydate(), HebrewDate(5788, 7, 1).to_pydate()
    by_israel = ("chumash", "parasha", "pirkei_avot", "tanakh_yomi")
    seen: dict[str, tuple[str, date]] = {}
    day, kept = first, 0
    while day < last:
        for key in cycles.CYCLES:
            for israel in (False, True) if key in by_israel else (False,):
                portion = cycles.portion(key, day, israel)
                if portion is None:
                    continue
                kept += 1
                assert portion.refs and portion.label, (key, day)
                for ref in portion.refs:
                    seen.setdefault(ref, (key, day))
        day += timedelta(days=1)
    unread = {}
    for ref, (key, day) in seen.items():
        parsed = cycles.parsed(ref)
        if parsed is None or str(parsed) != ref:
            unread[ref] = (key, day, parsed)
    assert unread == {}
    assert kept > 384 * 20 and {k for k, _d in seen.values()} == set(cycles.CYCLES)
    assert refs.parse("Hayom Yom, Adar II 14").work.group == "Hayom Yom"


@pytest.mark.parametrize("israel", [False, True])
def test_tanakh_yomi_matches_hebcal_every_day(israel: bool) -> None:
    """The seder of each reading day, and rest on every other day (Shabbat, Israel's Yom Tov, Purim,
    Yom HaAtzma'ut, Tisha B'Av), over three years (two regular, one leap)."""
    read = {r[0]: r for r in REFERENCE["tanakhYomi"] if r[1] == israel}
    day, books = FIRST, set()
    while day <= LAST:
        ours = cycles.portion("tanakh_yomi", day, israel)
        if day not in read:
            assert ours is None, (day, ours)
        else:
            _day, _il, address, text, _raw = read[day]
            assert ours is not None and ours.label.startswith(text.replace(" Seder ", ", seder ") + ":"), (
                day,
                text,
            )
            # hebcal stops a seder at the end of its first book; ours runs on into the next
            title, first, _last = url_form(ours.refs[0])
            assert (title, first) == url_form(address)[:2], (day, ours.refs, address)
            if len(ours.refs) == 1:
                assert url_form(ours.refs[0]) == url_form(address), (day, ours.refs, address)
            books.update(url_form(r)[0] for r in ours.refs)
        day += timedelta(days=1)
    assert len(read) == 910
    assert {"Jonah", "Nahum", "Malachi", "II Kings"} <= books  # books hebcal's links leave out


def test_tanakh_yomi_reads_every_verse_of_the_prophets_and_writings_in_a_year() -> None:
    from madrega import refs

    hebrew_year = cycles._tanakh_yomi_year(5786)
    seen: list[str] = [r for _book, _seder, rs in hebrew_year.values() for r in rs]
    following = cycles._tanakh_yomi_year(5787)
    seen += [r for day, (_b, _s, rs) in following.items() if cycles.hebrew_date(day).month == 7 for r in rs]
    nach = {book for book, _n in cycles._learning()["tanakh"][5:]}
    verses = {book: set() for book in nach}
    for ref in dict.fromkeys(seen):
        parsed = refs.parse(ref)
        lengths = parsed.work.lengths
        assert lengths is not None
        (c1, v1), (c2, v2) = parsed.sections, parsed.end
        for chapter in range(c1, c2 + 1):
            first, last = (v1 if chapter == c1 else 1), (v2 if chapter == c2 else lengths[chapter - 1])
            verses[parsed.title].update((chapter, v) for v in range(first, last + 1))
    for book in nach:
        lengths = refs.parse(book).work.lengths
        assert lengths is not None
        assert len(verses[book]) == sum(lengths), book


LEYNING: dict[tuple[date, bool], dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
for _day, _il, _name, _kind, _n, _book, _b, _e in _rows("hebcal-leyning.tsv"):
    LEYNING[(date.fromisoformat(_day), _il == "1")][(_name, _kind)].append(f"{_book} {_b}-{_e}")


# Where Chabad's division of a portion (which Chitas learns) is not hebcal's (the common Ashkenazi
# one): each is a `custom="Chabad"` (or the non-Ashkenaz default) <day> of opentorah's Torah tables
# (github opentorah/opentorah, texts/src/main/resources/org/opentorah/texts/tanach/*.xml).
CHABAD_DIVISION = {
    ("Vayigash", 3): "Genesis 45:8-27", ("Vayigash", 4): "Genesis 45:28-46:7", ("Vayigash", 5): "Genesis 46:8-27",
    ("Terumah", 2): "Exodus 25:17-30", ("Terumah", 3): "Exodus 25:31-26:14",
    ("Nasso", 6): "Numbers 7:42-83", ("Nasso", 7): "Numbers 7:84-89",
    ("Masei", 1): "Numbers 33:1-49", ("Masei", 2): "Numbers 33:50-53", ("Masei", 3): "Numbers 33:54-34:15",
    ("Devarim", 1): "Deuteronomy 1:1-11", ("Devarim", 2): "Deuteronomy 1:12-21",
}  # fmt: skip


@pytest.mark.parametrize("israel", [False, True])
def test_each_days_aliyah_matches_hebcal_leyning_every_week(israel: bool) -> None:
    """Sunday's aliyah is the first … Shabbat's the seventh, of the portion read on the Shabbat that ends
    the week (each portion by itself in a double week, as Chitas learns them), over three years; outside
    the days from Yom Kippur to Simchat Torah, Chitas's Chumash is the same aliyah with Rashi."""
    weeks = 0
    for (shabbat, il), readings in LEYNING.items():
        if il != israel:
            continue
        portions = [name for name, kind in readings if kind == "portion"]
        for back in range(7):
            day = shabbat - timedelta(days=6 - back)
            aliyot = cycles.aliyot_of_day(day, israel, chitas=False)
            assert [
                HEBCAL_PARSHIOT[cycles.weekly_parshiot(day, israel, chitas=False)[i]]
                for i in range(len(aliyot))
            ] == portions, day
            for aliyah, name in zip(aliyot, portions, strict=True):
                expected = CHABAD_DIVISION.get((name, back + 1)) or readings[(name, "portion")][back]
                assert aliyah.number == back + 1 and url_form(aliyah.ref) == url_form(expected), (
                    day,
                    aliyah,
                    expected,
                )
            hd = cycles.hebrew_date(day)
            if not (hd.month == 7 and 10 < hd.day <= 23):
                chumash = cycles.portion("chumash", day, israel)
                assert chumash is not None and chumash.refs[::2] == tuple(a.ref for a in aliyot), day
        weeks += 1
    doubles = sum(
        1 for (_s, il), r in LEYNING.items() if il == israel and any(k == "combined" for _n, k in r)
    )
    assert weeks > 140 and doubles > 10
