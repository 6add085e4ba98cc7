"""Stored segment refs read back the same way everywhere (madrega.refs.address)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from madrega.refs import address


def test_split_node_and_address() -> None:
    assert address.split("Tanya, Part III; Iggeret HaTeshuvah 10:1") == (
        "Tanya, Part III; Iggeret HaTeshuvah",
        "10:1",
    )
    assert address.split("Berakhot 2a:3") == ("Berakhot", "2a:3")
    assert address.split("Genesis") == ("Genesis", None)
    assert address.split("Genesis 1:1-5") == ("Genesis", "1:1")


def test_chapter_and_ancestors() -> None:
    assert address.chapter_of("Isaiah 51:3") == "Isaiah 51"
    assert address.chapter_of("Berakhot 2a:3") == "Berakhot 2a"
    assert address.chapter_of("Isaiah 51") == "Isaiah 51"
    assert address.ancestors("Zohar 1:11b:2") == ["Zohar 1:11b", "Zohar 1"]


def test_ranges() -> None:
    assert address.complete_end("1:1", "5") == "1:5"
    assert address.complete_end("1:1", "2:3") == "2:3"
    assert address.join_range("Genesis 1:1", "Genesis 1:8") == "Genesis 1:1-8"
    assert address.join_range("Genesis 1:1", "Genesis 2:3") == "Genesis 1:1-2:3"
    assert address.join_range("Genesis 50:26", "Exodus 1:1") == "Genesis 50:26 – Exodus 1:1"


@given(st.lists(st.tuples(st.integers(1, 300), st.integers(1, 200)), min_size=1, max_size=30))
def test_natural_order(pairs: list[tuple[int, int]]) -> None:
    refs = [f"Psalms {c}:{v}" for c, v in pairs]
    assert sorted(refs, key=address.sort_key) == [f"Psalms {c}:{v}" for c, v in sorted(pairs)]
