"""The Hebrew day (with nightfall), Chitas, Daf Yomi, Tanya and plans."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from madrega.errors import MadregaError, NotFound
from madrega.practice import cycles, journal, plans, today

FIXTURES = Path(__file__).parent / "fixtures" / "journal"
JERUSALEM = ZoneInfo("Asia/Jerusalem")


def hd(day: date) -> tuple[int, int, int]:
    h = cycles.hebrew_date(day)
    return h.year, h.month, h.day


# ---------------------------------------------------------------- the Hebrew date


def test_year_boundary_29_elul_to_1_tishrei() -> None:
    assert hd(date(2024, 10, 2)) == (5784, 6, 29)
    assert hd(date(2024, 10, 3)) == (5785, 7, 1)
    assert cycles.hebrew_date_string(date(2024, 10, 3)).startswith("א׳ תשרי")


def test_leap_year_has_two_adars() -> None:
    assert hd(date(2024, 2, 19)) == (5784, 12, 10)  # 10 Adar I
    assert hd(date(2024, 3, 20)) == (5784, 13, 10)  # 10 Adar II
    assert "אדר א׳" in cycles.hebrew_date_string(date(2024, 2, 19))
    assert "אדר ב׳" in cycles.hebrew_date_string(date(2024, 3, 20))
    assert cycles.hebrew_date_english(date(2025, 3, 10)) == "10 Adar 5785"


def test_nightfall_at_configured_hour_without_location(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "Asia/Jerusalem")
    before = datetime(2024, 10, 2, 17, 59, tzinfo=JERUSALEM)
    after = datetime(2024, 10, 2, 18, 0, tzinfo=JERUSALEM)
    assert cycles.hebrew_day(conn, before) == date(2024, 10, 2)
    assert cycles.hebrew_day(conn, after) == date(2024, 10, 3)  # 1 Tishrei from 18:00
    cycles.set_setting(conn, "nightfall_hour", "20:30")
    assert cycles.hebrew_day(conn, datetime(2024, 10, 2, 20, 29, tzinfo=JERUSALEM)) == date(2024, 10, 2)
    assert cycles.hebrew_day(conn, datetime(2024, 10, 2, 20, 30, tzinfo=JERUSALEM)) == date(2024, 10, 3)


def test_nightfall_at_tzeit_for_a_location(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "Asia/Jerusalem")
    cycles.set_setting(conn, "location", "31.778,35.235")
    tzeit = cycles.nightfall(cycles.place(conn), date(2024, 10, 2))
    # Jerusalem, 2 October (summer time): sunset about 18:22, tzeit (8.5°) about 18:58
    assert (
        datetime(2024, 10, 2, 18, 45, tzinfo=JERUSALEM)
        < tzeit
        < datetime(2024, 10, 2, 19, 10, tzinfo=JERUSALEM)
    )
    assert cycles.hebrew_day(conn, tzeit - timedelta(minutes=1)) == date(2024, 10, 2)
    assert cycles.hebrew_day(conn, tzeit + timedelta(minutes=1)) == date(2024, 10, 3)
    # at 18:30 it is still 29 Elul here, though the default hour would already have turned the day
    assert cycles.hebrew_day(conn, datetime(2024, 10, 2, 18, 30, tzinfo=JERUSALEM)) == date(2024, 10, 2)


def test_tzeit_is_later_in_summer(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "Asia/Jerusalem")
    cycles.set_setting(conn, "location", "31.778,35.235")
    where = cycles.place(conn)
    assert cycles.nightfall(where, date(2024, 6, 21)).hour == 20
    assert cycles.nightfall(where, date(2024, 12, 21)).hour == 17


@pytest.mark.parametrize(
    ("key", "value"),
    [("location", "91,0"), ("location", "north"), ("timezone", "Mars/Olympus"), ("nightfall_hour", "25"),
     ("israel", "maybe"), ("colour", "blue")],
)  # fmt: skip
def test_bad_settings_are_refused(conn: sqlite3.Connection, key: str, value: str) -> None:
    with pytest.raises(MadregaError):
        cycles.set_setting(conn, key, value)


# ---------------------------------------------------------------- Chumash


def test_parasha_of_known_shabbatot() -> None:
    assert [a.parasha for a in cycles.aliyot_of_day(date(2026, 11, 28))] == ["Vayishlach"]
    assert [a.parasha for a in cycles.aliyot_of_day(date(2024, 10, 26))] == ["Bereishis"]
    # 5783 was a regular year: Tazria and Metzora read together
    assert [a.parasha for a in cycles.aliyot_of_day(date(2023, 4, 22))] == ["Tazria", "Metzora"]


def test_aliyah_follows_the_weekday() -> None:
    sunday = date(2026, 11, 22)  # the week of Vayishlach
    numbers = [cycles.aliyot_of_day(sunday + timedelta(days=i))[0].number for i in range(7)]
    assert numbers == [1, 2, 3, 4, 5, 6, 7]
    assert cycles.aliyot_of_day(sunday)[0].ref == "Genesis 32:4-13"
    assert cycles.aliyot_of_day(sunday + timedelta(days=6))[0].ref == "Genesis 36:20-43"
    first_of_torah = cycles.aliyot_of_day(date(2024, 10, 27))[0]
    assert (first_of_torah.parasha, first_of_torah.ref) == ("Noach", "Genesis 6:9-22")


def test_double_week_learns_both_portions_aliyah() -> None:
    monday = date(2023, 4, 17)
    assert [a.ref for a in cycles.aliyot_of_day(monday)] == ["Leviticus 13:6-17", "Leviticus 14:13-20"]


def test_week_after_yom_kippur_is_vezot_haberachah() -> None:
    sunday = date(2024, 10, 13)  # 11 Tishrei 5785
    aliyah = cycles.aliyot_of_day(sunday)[0]
    assert (aliyah.parasha, aliyah.number, aliyah.ref) == ("Vezos Haberachah", 1, "Deuteronomy 33:1-7")


def test_festival_shabbat_learns_the_next_portion() -> None:
    # Shabbat 2025-04-19 is Pesach (no parasha): the week learns Shemini, read on 2025-04-26
    assert [a.parasha for a in cycles.aliyot_of_day(date(2025, 4, 14))] == ["Shemini"]


def test_chumash_table_matches_zmanim_parasha_for_two_years() -> None:
    from zmanim.limudim.calculators.parsha import Parsha

    calc = Parsha()
    day = date(2024, 1, 6)
    checked = 0
    while day < date(2026, 1, 1):
        limud = calc.limud(day)
        ours = cycles.weekly_parshiot(day)
        theirs = limud.unit.components if limud else ()
        h = cycles.hebrew_date(day)
        if theirs and "vezos_haberacha" not in theirs and not (h.month == 7 and 10 < h.day <= 23):
            assert len(ours) == len(theirs), day
            checked += 1
        day += timedelta(days=7)
    assert checked > 90


def test_aliyot_data_are_contiguous_chapter_verse_ranges() -> None:
    table = cycles._data()["aliyot"]
    assert len(table) == 54
    for entry in table:
        assert len(entry["aliyot"]) == 7
        ends = [tuple(map(int, span.split("-")[1].split(":"))) for span in entry["aliyot"]]
        assert ends == sorted(ends), entry["parasha"]


# ---------------------------------------------------------------- Tehillim


def test_tehillim_monthly_division() -> None:
    assert cycles.tehillim_of_day(date(2024, 10, 3)) == "Psalms 1-9"  # 1 Tishrei
    assert cycles.tehillim_of_day(date(2024, 10, 27)) == "Psalms 119:1-96"  # 25 Tishrei
    assert cycles.tehillim_of_day(date(2024, 10, 28)) == "Psalms 119:97-176"  # 26 Tishrei
    assert cycles.tehillim_of_day(date(2024, 11, 1)) == "Psalms 145-150"  # 30 Tishrei
    # Iyar has 29 days: its 29th reads to the end of the book; a 30-day month's 29th does not
    assert hd(date(2024, 6, 6)) == (5784, 2, 29)
    assert cycles.tehillim_of_day(date(2024, 6, 6)) == "Psalms 140-150"
    assert hd(date(2024, 11, 30)) == (5785, 8, 29)  # Cheshvan 5785 had 30 days
    assert cycles.tehillim_of_day(date(2024, 11, 30)) == "Psalms 140-144"


def test_tehillim_matches_zmanim_over_a_year() -> None:
    from zmanim.limudim.calculators.tehillim_monthly import TehillimMonthly

    calc = TehillimMonthly()
    for offset in range(0, 385, 1):
        day = date(2024, 1, 1) + timedelta(days=offset)
        first, last = calc.limud(day).unit.components
        ours = cycles.tehillim_of_day(day)
        if isinstance(first, int):
            assert ours.startswith(f"Psalms {first}-"), day
            assert ours.endswith(f"-{last}") or (first == 140 and ours == "Psalms 140-150"), day


# ---------------------------------------------------------------- Daf Yomi


@pytest.mark.parametrize(
    ("day", "ref", "cycle"),
    [
        (date(2020, 1, 5), "Berakhot 2", 14),  # the 14th cycle began
        (date(2020, 3, 7), "Berakhot 64", 14),  # 63 days of Berakhot
        (date(2020, 3, 8), "Shabbat 2", 14),
        (date(2012, 8, 3), "Berakhot 2", 13),  # the 13th cycle began 2711 days earlier
        (date(1975, 6, 24), "Berakhot 2", 8),  # first cycle with Shekalim of 22 dafim
        (date(2027, 6, 7), "Niddah 73", 14),  # siyum of the 14th cycle
        (date(2027, 6, 8), "Berakhot 2", 15),
    ],
)
def test_daf_yomi_known_dates(day: date, ref: str, cycle: int) -> None:
    daf = cycles.daf_yomi(day)
    assert (daf.ref, daf.cycle) == (ref, cycle)


def test_daf_yomi_kinnim_tamid_middot() -> None:
    start = date(2020, 1, 5)
    refs = [cycles.daf_yomi(start + timedelta(days=i)).ref for i in range(2711)]
    assert refs.index("Kinnim 23") == refs.index("Meilah 22") + 1
    assert refs[refs.index("Kinnim 25") + 1] == "Tamid 26"
    assert refs[refs.index("Tamid 33") + 1] == "Middot 34"
    assert refs[refs.index("Middot 37") + 1] == "Niddah 2"
    assert len(set(refs)) == 2711


def test_daf_yomi_matches_zmanim_across_a_cycle() -> None:
    from zmanim.limudim.calculators.daf_yomi_bavli import DafYomiBavli

    calc = DafYomiBavli()
    for offset in range(0, 2800, 37):
        day = date(2019, 11, 1) + timedelta(days=offset)
        name, page = calc.limud(day).unit.components[0]
        ours = cycles.daf_yomi(day)
        assert (ours.daf, ours.tractate[0].lower()) == (page, name[0]), day


def test_daf_yomi_before_cycle_8_is_refused() -> None:
    with pytest.raises(MadregaError):
        cycles.daf_yomi(date(1970, 1, 1))


# ---------------------------------------------------------------- Tanya


def test_tanya_cycle_leap_or_regular() -> None:
    assert cycles.tanya_cycle(date(2024, 3, 1)) == "leap"  # Adar I 5784: cycle from 19 Kislev 5784
    assert cycles.tanya_cycle(date(2024, 11, 1)) == "leap"  # Cheshvan 5785: still the 5784 cycle
    assert cycles.tanya_cycle(date(2024, 12, 20)) == "regular"  # 19 Kislev 5785 begins a regular cycle
    assert cycles.tanya_cycle(date(2024, 12, 19)) == "leap"


def test_tanya_from_sefaria_calendar_recorded(conn: sqlite3.Connection) -> None:
    payload = json.loads((FIXTURES / "sefaria_calendar_2024-12-20.json").read_text(encoding="utf-8"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=payload)

    refs = cycles.tanya_of_day(conn, date(2024, 12, 20), transport=httpx.MockTransport(handler))
    assert refs == ["Tanya, Part I; Likkutei Amarim 3:1-4"]
    assert seen[0].url.params["day"] == "20" and seen[0].url.path == "/api/calendars"


def test_tanya_offline_says_why(conn: sqlite3.Connection) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    with pytest.raises(NotFound, match="not available offline"):
        cycles.tanya_of_day(conn, date(2024, 12, 20))
    with pytest.raises(NotFound):
        cycles.tanya_of_day(conn, date(2024, 12, 20), transport=httpx.MockTransport(down))


def test_tanya_from_library_schedule(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    from madrega.study import library

    schedule = [
        ("regular", "יט כסלו", "Tanya, Part I; Likkutei Amarim 1:1"),
        ("regular", "כ כסלו", "Tanya, Part I; Likkutei Amarim 1:5"),
        ("leap", "יט כסלו", "Tanya, Part I; Likkutei Amarim 1:1"),
    ]
    monkeypatch.setattr(library, "tanya_schedule", lambda c: schedule)
    assert cycles.tanya_of_day(conn, date(2024, 12, 21)) == ["Tanya, Part I; Likkutei Amarim 1:5"]


def _fetched_tanya(conn: sqlite3.Connection, chapters: dict[int, int]) -> None:
    """A Hebrew Tanya as a fetch from Sefaria leaves it: segments only, no schedule markers."""
    from madrega.study import library

    segments = [
        library.SegmentIn(f"Tanya, Part I; Likkutei Amarim {c}:{n}", "אות", "אות")
        for c, count in chapters.items()
        for n in range(1, count + 1)
    ]
    with conn:
        work = library.ensure_work(conn, "Tanya", "תניא", "Chasidut")
        library.write_version(
            conn, work_id=work, lang="he", title="Sefaria", source=None, license=None,
            segments=segments, fingerprint=library.fingerprint_segments(segments),
        )  # fmt: skip


def test_a_fetched_tanya_gives_the_lesson_to_the_end_of_its_chapter(conn: sqlite3.Connection) -> None:
    # 23 Kislev 5785 (a regular cycle) starts at 1:13 and the next lesson at 2:1: the lesson is the
    # rest of chapter 1, however many paragraphs the library's Tanya has there.
    _fetched_tanya(conn, {1: 17, 2: 6, 3: 9})
    assert cycles.tanya_portion(date(2024, 12, 24))[0] == "Tanya, Part I; Likkutei Amarim 1:13"
    assert cycles.tanya_of_day(conn, date(2024, 12, 24)) == ["Tanya, Part I; Likkutei Amarim 1:13-17"]
    assert cycles.tanya_of_day(conn, date(2024, 12, 26)) == ["Tanya, Part I; Likkutei Amarim 3:1-7"]


# ---------------------------------------------------------------- refs and plans


def test_canonical_refs_and_coverage() -> None:
    assert cycles.canonical_ref("Tanya, Iggeret HaTeshuvah 10") == "Tanya, Part III; Iggeret HaTeshuvah 10"
    assert cycles.canonical_ref("a lovely shiur on joy") is None
    assert cycles.covers("Likutei Moharan, Part II 1-10", "Likutei Moharan, Part II 3-4")
    assert cycles.covers("Likutei Moharan, Part II 4", "Likutei Moharan, Part II 4")
    assert not cycles.covers("Likutei Moharan, Part II 4:2", "Likutei Moharan, Part II 4")
    assert not cycles.covers("Likutei Moharan 4", "Likutei Moharan, Part II 4")
    assert cycles.covers("Psalms 119", "Psalms 119:97-176")
    assert not cycles.covers("Psalms 119:1-96", "Psalms 119:97-176")


@given(st.integers(min_value=1, max_value=300), st.integers(min_value=1, max_value=300))
def test_divide_covers_every_chapter_once_evenly(chapters: int, days: int) -> None:
    if days > chapters:
        with pytest.raises(MadregaError):
            plans.divide("Work", chapters, days=days)
        return
    portions = plans.divide("Work", chapters, days=days)
    assert len(portions) == days
    seen: list[int] = []
    sizes = []
    for p in portions:
        _title, first, last = plans._span(p) or ("", (0, 0), (0, 0))
        seen.extend(range(first[0], last[0] + 1))
        sizes.append(last[0] - first[0] + 1)
    assert seen == list(range(1, chapters + 1))
    assert max(sizes) - min(sizes) <= 1


def test_plan_likutei_moharan_ii_in_60_days(conn: sqlite3.Connection) -> None:
    plan = plans.add_plan(conn, "Likutei Moharan Part II", days=60, start=date(2025, 1, 1))
    assert len(plan.portions) == 60
    assert plan.portions[0] == "Likutei Moharan, Part II 1-3"  # 125 = 5·3 + 55·2
    assert plan.portions[5] == "Likutei Moharan, Part II 16-17"
    assert plan.portions[-1] == "Likutei Moharan, Part II 124-125"
    assert plan.scheduled_index(date(2025, 1, 11)) == 10


def test_plan_by_chapter_marked_by_a_covering_study_step(conn: sqlite3.Connection) -> None:
    plan = plans.add_plan(conn, "Iggeret HaTeshuvah", by="chapter", start=date(2025, 1, 1))
    assert len(plan.portions) == 12 and plan.portions[9] == "Tanya, Part III; Iggeret HaTeshuvah 10"
    journal.add_step(conn, "study", ref="Tanya, Iggeret HaTeshuvah 1-2")
    journal.add_step(conn, "prayer", prayer="mincha")
    step = journal.add_step(conn, "study", ref="Tanya, Iggeret HaTeshuvah 10")
    plan = plans.get_plan(conn, plan.short_id)
    assert sorted(plan.done) == [0, 1, 9]
    assert plan.next_portion() == 2
    journal.delete_step(conn, step.uid)  # the portion opens again when its step goes
    assert sorted(plans.get_plan(conn, plan.uid).done) == [0, 1]


def test_plan_counts_steps_taken_before_it(conn: sqlite3.Connection) -> None:
    journal.add_step(conn, "study", ref="Psalms 3")
    plan = plans.add_plan(conn, "Psalms 1-10", by="chapter")
    assert plan.portions[0] == "Psalms 1" and len(plan.portions) == 10
    assert sorted(plan.done) == [2]


def test_plan_mistakes(conn: sqlite3.Connection) -> None:
    with pytest.raises(MadregaError):
        plans.add_plan(conn, "Iggeret HaTeshuvah", days=30)  # 12 chapters in 30 days
    with pytest.raises(MadregaError):
        plans.add_plan(conn, "Iggeret HaTeshuvah")
    with pytest.raises(NotFound):
        plans.add_plan(conn, "The Book of Nothing", by="chapter")
    with pytest.raises(NotFound):
        plans.get_plan(conn, "ffffffff")


def test_plan_manual_mark_and_remove(conn: sqlite3.Connection) -> None:
    plan = plans.add_plan(conn, "Iggeret HaTeshuvah", days=4)
    assert plan.portions == [f"Tanya, Part III; Iggeret HaTeshuvah {a}-{a + 2}" for a in (1, 4, 7, 10)]
    assert sorted(plans.mark_portion(conn, plan.uid, 2).plan.done) == [1]
    with pytest.raises(MadregaError):
        plans.mark_portion(conn, plan.uid, 5)
    plans.remove_plan(conn, plan.uid)
    assert plans.plans(conn) == []


def test_today_gathers_the_cycles(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "Asia/Jerusalem")
    t = today.today(conn, datetime(2020, 1, 5, 9, 0, tzinfo=JERUSALEM)).to_dict()
    assert t["day"] == "2020-01-05" and t["weekday"] == "Sunday"
    assert t["daf_yomi"]["ref"] == "Berakhot 2"
    assert t["chumash"][0]["parasha"] == "Vayechi" and t["chumash"][0]["number"] == 1
    assert t["tehillim"] == "Psalms 44-48"  # 8 Tevet
    # Chitas is whole offline: the Tanya of 8 Tevet (a regular year's cycle) from its own data
    assert t["tanya"] == ["Tanya, Part I; Likkutei Amarim 8:5"] and t["tanya_note"] is None
    assert [c["name"] for c in t["cycles"]] == [
        "Chumash with Rashi",
        "Tehillim (monthly)",
        "Tanya",
        "Daf Yomi",
    ]
    assert t["cycles"][3]["ref"] == "Berakhot 2" and not any(c["done"] for c in t["cycles"])
