"""Forms the eleventh held-out set of real Hebrew pages (tests/data/realtext/he-*-11xx) wrote that the linker
misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the weekly portion before a midrash's own parashah: the portion's name is no number (was 96:9, a
        # wrong answer)
        ("ויקרא רבה צו פרשה ט", "Vayikra Rabbah 9"),
        ("בראשית רבה ויצא פרשה עג", "Bereshit Rabbah 73"),
        ("שמות רבה בא פרשה טו", "Shemot Rabbah 15"),
        # 'מדרש רבה' with a portion is the Rabbah of the portion's book
        ("מדרש רבה, צו פרשה ט", "Vayikra Rabbah 9"),
        ("מדרש רבה לך לך פרשה לט", "Bereshit Rabbah 39"),
        # the Tikkunei Zohar by tikkun (spelt without yod) and daf: the daf is the address
        ('תקו"ז תקון כ"א דף מ"ג:', "Tikkunei Zohar 43b"),
        ('תיקוני זהר תקון ס"ד דף פ"ו:', "Tikkunei Zohar 86b"),
    ],
)
def test_a_portion_or_a_tikkun_before_the_address(text: str, expected: str) -> None:
    assert str(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Midrash Rabbah by portion and parashah, and a list of them (was nothing)
        (
            "כל הקרבנות בטלין (מדרש רבה, צו פרשה ט, אמור פרשה כז) שלא ישאר",
            [("מדרש רבה, צו פרשה ט", "Vayikra Rabbah 9"), ("אמור פרשה כז", "Vayikra Rabbah 27")],
        ),
        # 'עין שם' after it is 'see there', no second citation
        ("כמו שאמרו (מדרש רבה, נשא פרשה יא, עין שם) כך", [("מדרש רבה, נשא פרשה יא", "Bamidbar Rabbah 11")]),
        # the Tikkunim named 'תקונים', by tikkun and daf (was nothing)
        (
            'המובא בזוהר הקדוש (תקונים תקון כ"א דף מ"ג:) ועוד',
            [('תקונים תקון כ"א דף מ"ג:', "Tikkunei Zohar 43b")],
        ),
        # 'as it is written (ibid. 104)' after the Tikkunim: a verse, of the Psalms cited before (was
        # Tikkunei Zohar 104, a wrong answer)
        (
            'אשרי העם (תהלים פ"ט) המובא (תקונים תקון כ"א דף מ"ג:) כמו שכתוב (שם ק"ד) : כלם בחכמה עשית',
            [
                ('תהלים פ"ט', "Psalms 89"),
                ('תקונים תקון כ"א דף מ"ג:', "Tikkunei Zohar 43b"),
                ('שם ק"ד', "Psalms 104"),
            ],
        ),
        # a source list: the words, a dash, the verse by a short portion's name (was nothing), 'שם' after the
        # dash is that verse again
        (
            "צוהר תעשה גו' – נח ו, טז. תחתים שנים גו' – שם. בא אתה גו' – נח ז, א.",
            [("נח ו, טז", "Genesis 6:16"), ("שם", "Genesis 6:16"), ("נח ז, א", "Genesis 7:1")],
        ),
    ],
)
def test_forms_of_the_eleventh_set(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # 'ראה' after a dash is still 'see', and a dash with no source before it is prose
        "ראה (תהלים כה, ח) – ראה יב, ג",
        "והלך – שם היה",
        # a whole daf of the Tikkunim after a tikkun and daf: its ref would read back as a tikkun; refused
        'המובא (תקונים תקון כ"א דף מ"ג: ובדף ס) ועוד',
        # 'שם יהו"ה' is the Name, not ibid
        'כמה דכתיב (מלאכי ג טז) ויקשב יהו"ה וישמע, ורזא דא שם יהו"ה',
    ],
)
def test_no_wrong_answer(text: str) -> None:
    got = refs_of(text)
    assert ("יב, ג", "Psalms 12:3") not in got
    assert all(not ref.startswith("Tikkunei Zohar 94") for _t, ref in got)
    assert all(span not in ("שם", "ובדף ס") for span, _r in got)
