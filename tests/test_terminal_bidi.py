"""Hebrew in the terminal: logical order for terminals that lay out right-to-left text, visual order
(wrapped, then reordered line by line) for those that do not — checked on tmux's screen itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madrega import api
from madrega.cli import terminal
from madrega.errors import MadregaError
from madrega.study import library
from madrega.study.importers import corpus
from madrega.text import bidi


def _clusters(text: str) -> list[str]:
    """A letter with the marks after it."""
    out: list[str] = []
    for ch in text:
        if unicodedata.combining(ch) and out:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _bare(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, False),
        ({"TERM": "screen-256color"}, False),
        ({"TERM": "xterm-256color", "STY": "1.pts-0"}, False),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, True),
        ({"TERM": "xterm-256color", "VTE_VERSION": "5202"}, False),  # VTE before BiDi (0.58)
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, True),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600", "TMUX": "x"}, False),
        ({"TERM": "linux"}, None),
    ],
)
def test_which_terminals_reorder(env: dict[str, str], expected: bool | None) -> None:
    assert terminal.reorders_rtl(env) is expected


def test_auto_is_visual_only_on_a_terminal_known_not_to_reorder() -> None:
    tmux = {"TERM": "tmux-256color", "TMUX": "x"}
    assert terminal.mode("auto", is_terminal=True, env=tmux) == "visual"
    assert terminal.mode("auto", is_terminal=False, env=tmux) == "logical"  # a pipe gets the data
    assert terminal.mode("auto", is_terminal=True, env={"TERM": "xterm", "VTE_VERSION": "7600"}) == "logical"
    assert terminal.mode("visual", is_terminal=False, env={}) == "visual"
    with pytest.raises(MadregaError, match="choose auto, logical or visual"):
        terminal.mode("mirror", is_terminal=True, env={})


def test_a_hebrew_line_in_visual_order() -> None:
    line = "חָנֵּנִי אֱלֹהִים (תהלים נא) Psalms 51:3"
    shown = bidi.visual(line)
    # the first word read is the rightmost one, each letter still followed by its own marks
    words = shown.split(" ")
    assert words[-1] == "ינִנֵּחָ" and _clusters(words[-1]) == list(reversed(_clusters("חָנֵּנִי")))
    assert "Psalms 51:3" in shown  # a left-to-right run keeps its order
    assert "(אנ םילהת)" in shown  # its brackets mirrored into place
    assert bidi.visual("Psalms 51:3 (JPS)") == "Psalms 51:3 (JPS)"


def test_a_paragraph_wraps_before_it_is_reordered() -> None:
    text = "א ב ג ד ה ו ז ח ט י"
    assert bidi.visual_lines(text, 9) == ["ה ד ג ב א", "י ט ח ז ו"]  # read from the top, right to left


HEBREW_LETTERS = st.sampled_from([chr(c) for c in range(0x05D0, 0x05EB)])
MARKS = st.lists(
    st.sampled_from([chr(c) for c in (0x05B0, 0x05B4, 0x05B8, 0x05BC, 0x05C1, 0x0591, 0x05A5)]), max_size=3
)
CLUSTER = st.builds(lambda letter, marks: letter + "".join(marks), HEBREW_LETTERS, MARKS)
WORD = st.lists(CLUSTER, min_size=1, max_size=6).map("".join)


@given(st.lists(WORD, min_size=1, max_size=8).map(" ".join))
def test_visual_order_reverses_letters_and_keeps_their_marks(line: str) -> None:
    shown = bidi.visual(line)
    assert _clusters(shown) == list(reversed(_clusters(line)))
    assert bidi.width(shown) == bidi.width(line)


# ---------------------------------------------------------------------------- on tmux's screen


@pytest.fixture(scope="module")
def psalms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("bidi") / "tanakh.sqlite"
    conn = api.connect(path)
    saved = list(library._HOOKS)
    library._HOOKS.clear()  # the search index is not under test here
    try:
        corpus.import_corpus(conn, only=["tanakh", "english"])
    finally:
        library._HOOKS[:] = saved
        conn.close()
    yield path


def _tmux_screen(db: Path, order: str) -> list[str]:
    """`madrega read` in a 100-column tmux window; the screen as tmux holds it, cell by cell."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (`make system-deps` installs it)")
    socket, signal = f"madrega-{uuid.uuid4().hex[:8]}", f"read-done-{uuid.uuid4().hex[:8]}"
    command = (
        f"{sys.executable} -c 'from madrega.cli import main; main()' read 'Psalms 51:3' "
        f"--db {db} --bidi {order}; tmux -L {socket} wait-for -S {signal}; cat"
    )
    run = [tmux, "-L", socket, "-f", "/dev/null"]
    subprocess.run([*run, "new-session", "-d", "-x", "100", "-y", "30", command], check=True)
    try:
        subprocess.run([*run, "wait-for", signal], check=True, timeout=120)
        screen = subprocess.run([*run, "capture-pane", "-p"], check=True, capture_output=True, text=True)
        return screen.stdout.splitlines()
    finally:
        subprocess.run([*run, "kill-server"], check=False)


def _first_row(screen: list[str]) -> str:
    return next(line for line in screen if "Be gracious unto me" in line)


def test_tmux_shows_the_visual_line_right_to_left_beside_its_english(psalms: Path) -> None:
    row = _first_row(_tmux_screen(psalms, "visual"))
    hebrew, english = row.split("│")[1], row.split("│")[2]
    assert english.strip().startswith("Be gracious unto me, O God")
    words = _bare(hebrew).split()
    # read right to left on the screen: the verse's first word stands at the right edge of its column
    assert words[-1][::-1] == "חנני" and words[-2][::-1] == "אלהים"
    assert hebrew[-2] != " "  # right-aligned against the column edge


def test_tmux_shows_the_logical_line_as_it_comes(psalms: Path) -> None:
    row = _first_row(_tmux_screen(psalms, "logical"))
    words = _bare(row.split("│")[1]).split()
    assert words[0] == "חנני"  # tmux does not reorder: the reading order lands left to right
