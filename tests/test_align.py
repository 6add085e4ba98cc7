"""Placing a lesson's Hebrew lines in the library's text, across niqqud and plene spelling."""

from __future__ import annotations

import sqlite3

from madrega.study.document import DocSegment, Document
from madrega.study.importers.align import align_document, keys_of, score
from madrega.study.importers.lesson import parse_lesson

# Library text: vocalized, defective spelling (as the printed verse has it).
PSALM = {
    "Psalms 23:1": "מִזְמוֹר לְדָוִד יְהוָה רֹעִי לֹא אֶחְסָר׃",
    "Psalms 23:2": "בִּנְאוֹת דֶּשֶׁא יַרְבִּיצֵנִי עַל מֵי מְנֻחֹת יְנַהֲלֵנִי׃",
    "Psalms 23:3": "נַפְשִׁי יְשׁוֹבֵב יַנְחֵנִי בְמַעְגְּלֵי צֶדֶק לְמַעַן שְׁמוֹ׃",
}
# A second work quoting the same phrase, to show that what the lesson teaches decides.
COMMENTARY = {
    "Shepherd Notes 1:1": "וְזֶהוּ שֶׁאָמַר יְהוָה רֹעִי לֹא אֶחְסָר כְּלוֹמַר הַכֹּל מִמֶּנּוּ",
    "Shepherd Notes 1:2": "וְעוֹד בִּנְאוֹת דֶּשֶׁא יַרְבִּיצֵנִי שֶׁהוּא מָקוֹם שֶׁל מְנוּחָה",
    "Shepherd Notes 1:3": "וְעוֹד בִּנְאוֹת דֶּשֶׁא יַרְבִּיצֵנִי בַּפַּעַם הַשְּׁנִיָּה",
}


def add_work(conn: sqlite3.Connection, title: str, lang: str, segments: dict[str, str]) -> None:
    work = conn.execute("SELECT id FROM works WHERE title=?", (title,)).fetchone()
    work_id = (
        work[0]
        if work
        else conn.execute("INSERT INTO works(title, category) VALUES (?, 'Test')", (title,)).lastrowid
    )
    version = conn.execute(
        "INSERT INTO versions(work_id, lang, title) VALUES (?, ?, 'test edition')", (work_id, lang)
    ).lastrowid
    for order, (ref, text) in enumerate(segments.items(), start=1):
        conn.execute(
            "INSERT INTO segments(version_id, ref, ord, text, plain) VALUES (?, ?, ?, ?, ?)",
            (version, ref, order, text, text),
        )


def lesson(*hebrew: str, teaches: str | None = None) -> Document:
    doc = Document(title="t", kind="lesson", teaches_ref=teaches)
    for number, line in enumerate(hebrew, start=1):
        doc.segments.append(DocSegment(role="translation", text=f"line {number}", lang="en", pair=number))
        doc.segments.append(DocSegment(role="source", text=line, lang="he", pair=number))
    return doc


def test_plene_and_unvocalized_quotes_find_their_verse(conn: sqlite3.Connection) -> None:
    add_work(conn, "Psalms", "he", PSALM)
    add_work(conn, "Psalms", "en", {"Psalms 23:1": "The LORD is my shepherd; I shall not want."})
    doc = lesson(
        "רועי לא אחסר",  # unvocalized, plene holam
        "על מי מנוחות ינהלני",  # plene where the verse is defective
        "נַפְשִׁי יְשׁוֹבֵב",  # different niqqud is fine too
        "שלום עליכם מלאכי השרת",  # not in the library
        "יְהוָה",  # a single word is too little to place
    )
    align_document(conn, doc)
    refs = [s.ref for s in doc.segments if s.role == "source"]
    assert refs == ["Psalms 23:1", "Psalms 23:2", "Psalms 23:3", None, None]
    assert all(s.ref is None for s in doc.segments if s.role == "translation")
    assert [p.ref for p in doc.pairs()][:3] == ["Psalms 23:1", "Psalms 23:2", "Psalms 23:3"]


def test_the_work_taught_wins_over_other_quotations(conn: sqlite3.Connection) -> None:
    add_work(conn, "Psalms", "he", PSALM)
    add_work(conn, "Shepherd Notes", "he", COMMENTARY)
    taught = align_document(conn, lesson("רֹעִי לֹא אֶחְסָר", teaches="Shepherd Notes 1"))
    assert taught.segments[1].ref == "Shepherd Notes 1:1"
    plain = align_document(conn, lesson("מזמור לדוד ה' רועי", teaches="Shepherd Notes 1"))
    # Not found in the section taught: the rest of the library is searched.
    assert plain.segments[1].ref == "Psalms 23:1"


def test_repeated_phrase_goes_to_the_place_after_the_previous_line(conn: sqlite3.Connection) -> None:
    add_work(conn, "Shepherd Notes", "he", COMMENTARY)
    doc = align_document(conn, lesson("הַכֹּל מִמֶּנּוּ כְּלוֹמַר", "בנאות דשא ירביצני", teaches="Shepherd Notes 1"))
    assert [s.ref for s in doc.segments if s.role == "source"] == ["Shepherd Notes 1:1", "Shepherd Notes 1:2"]


def test_parsed_lesson_aligns_end_to_end(conn: sqlite3.Connection) -> None:
    add_work(conn, "Psalms", "he", PSALM)
    text = "\n\n".join(
        [
            "He makes me lie down in green pastures, by quiet waters.",
            "בנאות דשא ירביצני על מי מנוחות ינהלני",
            "A word on the picture of the shepherd, which carries through the psalm.",
            "He restores my soul, for His name's sake.",
            "נפשי ישובב ינחני במעגלי צדק",
        ]
    )
    doc = align_document(conn, parse_lesson(text))
    assert [p.ref for p in doc.pairs()] == ["Psalms 23:2", "Psalms 23:3"]


def test_empty_library_leaves_the_document_alone(conn: sqlite3.Connection) -> None:
    doc = align_document(conn, lesson("רועי לא אחסר"))
    assert doc.segments[1].ref is None


def test_score_is_containment_in_order() -> None:
    verse = keys_of(PSALM["Psalms 23:2"])
    assert score(keys_of("על מי מנוחות"), verse) == (1.0, 3)
    shuffled, found = score(keys_of("מנוחות מי על"), verse)
    assert found == 3 and shuffled == 0.5
    assert score([], verse) == (0.0, 0)
