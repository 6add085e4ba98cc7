"""The forms citations take in footnotes, endnotes and parenthesized sources, rewritten into forms the
parser reads: Soncino's Roman chapters (`Ex. XII, 2`, `Ab. II, 4`) and tractate abbreviations
(`Hag. 3a`, `'Er. 67a`, `Tosaf. Suk. 25a`), older spellings (`Jebamot`, `Menachoth`), the folio and
column of old translations (`Tract. Joma, fol. 75, col. 1`), lead-ins (`ArtScroll`, `B. Talmud`,
`Maimonides, Mishneh Torah,`), the heading of a comment (`ד"ה ...`, `s.v. ...`) and an edition's note
after the place (`57b, note 38`), and the Hebrew of the Ein Mishpat and the maarei mekomot
(`מיי' פי"ב מהל' שבת הלכה ט'`, `ברכות לט רע"א`, `סמ"ג לאוין סה`).

Each rule is general (a way of writing, not a string). `first` gives the forms that must be read
before the plain reading (it would read them as another place: `57b, note 38` is not 57b:38);
`variants` gives the readings tried, in order, only when the plain reading fails, so text already
read is never touched and a string none of them reads stays refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from madrega.refs import portions as _portions
from madrega.refs.catalog_file import catalog

__all__ = ["first", "variants"]

_ROMAN_LETTERS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ROMAN = r"(?:C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})|c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"


def roman_value(word: str) -> int:
    """The value of a Roman numeral (`XCII` = 92); 0 for an empty or malformed one."""
    values = [_ROMAN_LETTERS.get(ch, 0) for ch in word.lower()]
    if not values or 0 in values:
        return 0
    total = 0
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


# An edition's footnote after the place ('Berachos 57b, note 38'): not a level of the work.
_EDITION_NOTE = re.compile(r"\s*,?\s*(?:note|n\.|fn\.?|footnote)\s*\d+\s*$", re.IGNORECASE)
_HE_MISHNAH_TRACTATE = re.compile(r"^\(?\s*משנה,?\s+(?:במסכת|מסכת|מס['\"])\s+(.*?)\s*\)?$")
_HE_HYPHEN_VERSE = re.compile(r"^\(\s*([א-ת]+(?: [א-ת]+)?) ([א-ת]{1,3})-([א-ת]{1,3})\s*\)$")
_HE_ON_THE_TORAH = re.compile(r"(?<=[א-ת\"'])\s+עה[\"']ת\s+(?=[א-ת])")
_NOTE_WORDS = ("note", "Note", "n.", "fn", "fn.", "footnote")
# A Soncino tractate abbreviation with a Roman chapter: the Mishnah ('Ab. II, 4', 'Dem. III, 1').
_TRACTATE_ROMAN = re.compile(rf"^('?[A-Z][a-z']*\.)\s+({_ROMAN})[,.]\s*(\d+)$")
# A Soncino tractate abbreviation with a daf ('Hag. 3a', "'Er. 67a", 'Tosaf. Suk. 25a', 'Pes. 7').
_TRACTATE_DAF = re.compile(
    r"^((?:Tosaf\.|Tosafot|Tos\.)\s+)?('?[A-Z][a-z']*\.)\s+(\d+[ab]?(?:\s*-\s*\d*[ab])?)$"
)
# Hebrew plural 'הלכות' before numbers is the level word, not the name of the Mishneh Torah's books.
# (only after a marked chapter: 'פ"ט הלכות יא-יג'; 'חידושי הלכות ה' is a title).
_HE_PLURAL_LEVEL = re.compile(
    r"(?<=\s)((?:פ[\"'][א-ת]{1,2}|פרק\s+[א-ת]{1,3}[\"']?[א-ת]?)\s+)הלכות(?=\s+[א-ת]{1,3}[\"']?[א-ת]?\s*(?:-|$))"
)


# A daily lesson's part after the unit it divides ('Epistle 17 - Part 1', 'Chapter 3 – part 2').
_LESSON_PART = re.compile(r"(?<=\d)\s*[-–—]\s*[Pp]art\s+(?:\d+|[IVX]+)\s*$")
# 'ch. 11 of Tanya', 'Epistle 25 of Iggeret HaKodesh': the chapter (section, letter, lesson) written before the
# work it is of.
_CHAPTER_OF = re.compile(
    r"^(ch\.|chap\.|chapters?|sections?|siman|simanim|epistles?|letters?|lessons?|torah|gates?|sha'?ar)\s*#?"
    r"(\d+(?:\s*-\s*\d+)?)\s+of\s+(?:the\s+)?(\D+)$",
    re.I,
)
# The Mishneh Torah's fourteen books by their English or transliterated names, before the hilchot
# ('Wisdom. Laws of Repentance, Chapter 2'): the hilchot alone name the place.
_MT_BOOK_EN = re.compile(
    r"^(?:Sefer\s+|The\s+Book\s+of\s+)?(?:Ha-?Madda|Madda|Knowledge|Wisdom|Ahavah|Love|Zemanim|Seasons|Times|Nashim|"
    r"Women|Kedushah|Holiness|Hafla'?ah|Separation|Zera'?im|Seeds|Agriculture|Avodah|Temple Service|Korbanot|"
    r"Offerings|Sacrifices|Taharah|Tahara|Purity|Cleanness|Nezikin|Damages|Torts|Kinyan|Acquisition|Mishpatim|"
    r"Civil Laws|Judgments|Shoftim|Judges)[.,:]?\s+(?=(?:Laws|Hilchot|Hilchos|Hilkhot|Hil\.)\s)"
)


def _chapter_of(text: str) -> str:
    m = _CHAPTER_OF.match(text)
    if m is None:
        return text
    work = m[3].strip(" ,.")
    if _letters(work) in _tractates()[0]:
        return text  # 'chapter 3 of Berakhot' is a chapter of the Mishnah or the Gemara, not daf 3
    return f"{work} {m[1]} {m[2]}"


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@cache
def _tractates() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """The Bavli tractates and the Mishnah tractates by every English name's letters, and the letters
    of every name of a book of the Bible (an abbreviation of one is never read as a tractate)."""
    bavli: dict[str, str] = {}
    mishnah: dict[str, str] = {}
    bible: set[str] = set()
    cat = catalog()
    for work in (*cat.in_category("Tanakh"), *cat.in_category("Talmud"), *cat.in_category("Mishnah")):
        names = (work.title, work.translit, *work.aliases)
        if work.category == "Tanakh":
            bible.update(_letters(n) for n in names)
            continue
        names = tuple(n for n in names if " " not in n.removeprefix("Mishnah ").removeprefix("M. ").strip())
        if work.category == "Talmud" and work.group is None and not work.title.startswith("Jerusalem"):
            for n in names:
                bavli.setdefault(_letters(n), work.title)
        elif work.category == "Mishnah":
            for n in names:
                key = _letters(n.removeprefix("Mishnah ").removeprefix("Mishna ").removeprefix("M. "))
                mishnah.setdefault(key, work.title)
    return bavli, mishnah, frozenset(bible)


@cache
def _bible_names() -> tuple[str, ...]:
    return tuple(_tractates()[2])


def _begins_a_bible_name(abbr: str) -> bool:
    key = _letters(abbr.replace("'", ""))
    return any(name.startswith(key) for name in _bible_names())


def _by_abbreviation(abbr: str, table: dict[str, str], bible_too: bool = True) -> str | None:
    """The title most of whose one-word names the abbreviation starts (`Hag.` → Chagigah by `Hagigah`,
    `'Er.` → Eruvin by `Erubin`, `Eruv`, `Eruvin` over Arakhin's `Erachin`), or None when it names a
    book of the Bible (`bible_too`: the address may be a chapter's), no tractate, or two alike."""
    key = _letters(abbr.replace("'", ""))  # "'Er." — the apostrophe stands for an ayin
    if len(key) < 2:
        return None
    bible = _tractates()[2]
    if bible_too and key in bible:
        return None
    counts: dict[str, int] = {}
    for name, title in table.items():
        if name.startswith(key):
            counts[title] = counts.get(title, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=lambda t: counts[t])


def first(text: str) -> str | None:
    """The reading of a form the plain reading would read as another place, or None."""
    if "art " in text:
        # 'Igeret HaKodesh, Epistle 17 - Part 1': a daily lesson's part of the unit, not a level of the work
        # (the plain reading takes it for segment 1)
        lesson = _LESSON_PART.sub("", text)
        if lesson != text:
            return lesson
    head, _, last = text.rpartition(" ")
    if last.isdigit() and head.endswith(_NOTE_WORDS):  # string tests: this runs on every citation
        cut = _EDITION_NOTE.sub("", text)
        if cut != text and any(ch.isdigit() for ch in cut):
            return cut
    if ". " in text[:10]:
        m = _TRACTATE_ROMAN.match(text)
        if m is not None:
            title = _by_abbreviation(m[1], _tractates()[1])
            chapter = roman_value(m[2])
            if title is not None and chapter:
                return f"{title} {chapter}:{m[3]}"
        daf = _TRACTATE_DAF.match(text)
        if daf is not None and len(_letters(daf[2])) >= 4 and not _begins_a_bible_name(daf[2]):
            # 'Keth. 12', 'Sheb. 30': an abbreviation of four letters or more that begins a tractate's name
            # and no book of the Bible's is the tractate, not a misspelt book (Ecclesiastes, II Samuel);
            # a shorter one may be a slip for a book's ('Pes. 9': Pesachim or Psalms, refused)
            tractate = _tractate_daf(text)
            if tractate != text:
                return tractate
    if text.startswith("(") and "-" in text:
        # '(ויקרא ה-כג)': in the Hebrew sources of the Rambam's editions a hyphen parts the chapter from the
        # verse; a range of chapters is written with its word ('פרקים') or its gereshim
        verse = _HE_HYPHEN_VERSE.match(text)
        if verse is not None:
            return f"{verse[1]} {verse[2]}, {verse[3]}"
    if text.startswith(("משנה", "(משנה")):
        # 'משנה מסכת ברכות, פרק ד'': the plain reading takes 'מסכת ברכות' for the Bavli and drops the word
        # that says it is the Mishnah
        mishnah = _HE_MISHNAH_TRACTATE.sub(r"משנה \1", text)
        if mishnah != text:
            return mishnah
    if "עה" in text:
        # 'רמב"ן עה"ת דברים ט"ז, י"ח': a commentary 'on the Torah', then the book it is on; the plain
        # reading stops at the commentator's name, which is every book's
        on = _HE_ON_THE_TORAH.sub(" על ", text)
        if on != text:
            return on
    if "הלכות" in text:
        plural = _HE_PLURAL_LEVEL.sub(r"\1הלכה", text)
        if plural != text:
            return plural
    return None


# Rules tried when the plain reading fails, each a rewrite of the whole string.
_Rule = Callable[[str], str]


def _sub(pattern: str, repl: str | Callable[[re.Match[str]], str], flags: int = 0) -> _Rule:
    regex = re.compile(pattern, flags)
    return lambda s: regex.sub(repl, s)


def _roman_address(m: re.Match[str]) -> str:
    chapter = roman_value(m[2])
    if not chapter:
        return m[0]
    end = m[3]
    if end is not None:  # 'Num. XXII-XXIV': a range of chapters
        last = roman_value(end)
        return f"{m[1]}{chapter}-{last}" if last > chapter else m[0]
    return f"{m[1]}{chapter}"


def _two_verses(m: re.Match[str]) -> str:
    a, b = int(m[2]), int(m[3])
    return f"{m[1]}{a}-{b}" if b == a + 1 else m[0]


def _folio(m: re.Match[str]) -> str:
    return f"{m[1]}{'a' if m[2] == '1' else 'b'}"


def _tractate_daf(text: str) -> str:
    m = _TRACTATE_DAF.match(text)
    if m is None:
        return text
    title = _by_abbreviation(m[2], _tractates()[0], bible_too=False)  # the Bible has no daf
    if title is None:
        return text
    daf = m[3] if m[3][-1] in "ab" else f"{m[3]}a-{m[3]}b"  # 'Pes. 7': a daf is the Bavli's, whole
    return f"{'Tosafot on ' if m[1] else ''}{title} {daf}"


_CLEANUPS: tuple[_Rule, ...] = (
    # the parentheses or brackets a source is written in, a 'cf.' or 'see' before it
    _sub(r"^\(\s*(.*?)\s*\)?$", r"\1"),
    _sub(r"^\[\s*(.*?)\s*\]$", r"\1"),
    _sub(r"^(?:cf\.|see|comp\.)\s+", "", re.IGNORECASE),
    # the heading of a comment, and what follows it
    _sub(r"\s*,?\s*(?:ד[\"']ה|בד[\"']ה|s\.\s?v\.)\s.*$", ""),
    # lead-ins that name the edition, the corpus or the author before the work
    _sub(r"^(?:ArtScroll|Artscroll|Schottenstein|Soncino|Hebrew Bible),?\s+", ""),
    _sub(r"^(?:B\.|BT|Babylonian)\s+Talmud,?\s+", ""),
    _sub(r"^Talmud,\s*(?:Tract\.|Tractate)?\s*", ""),
    _sub(r"^(?:Moses\s+)?(?:Maimonides|Rambam),?\s+(?=\(|Mishneh|Sefer|Hil|Laws)", ""),
    _sub(r"^Yad,?\s+", "Mishneh Torah, "),
    _sub(r"^Seifer\s+", ""),
    _sub(r"^Anon\.,?\s+", ""),  # a source database's author field for an anonymous work
    _chapter_of,
    # the Mishneh Torah's book before its hilchot, and the hilchot named twice ('Hilchot Teshuvah - Laws
    # of Repentance Chapter 6')
    lambda t: _MT_BOOK_EN.sub("", t),
    _sub(r"^(?:Hilchot|Hilchos|Hilkhot|Hil\.)\s+[^\d-]+?\s+-\s+(?=Laws\s+of\s)", ""),
    # 'Mishneh Torah, Hilchot Megilah 2:15': the work named before its hilchot by their Hebrew name
    _sub(r"^(?:The\s+)?Mishneh\s+Torah,?\s+(?=(?:Hilchot|Hilchos|Hilkhot|Hil\.)\s)", ""),
    # a range written with 'through' ('Pages 15a through 59a'), before a Roman volume is read
    _sub(r"(?<=\d)([ab]?)\s+through\s+(?=\d)", r"\1-"),
    # the section after a chapter in brackets ('ch. xii. [3]')
    _sub(r"(?<=[\w.])\s*\[(\d+)\]$", r" \1"),
    # 'fol. 75, col. 1': the folio and its column (amud)
    _sub(r"(\s)fol\.\s*(\d+),\s*col\.\s*([12])$", lambda m: f"{m[1]}{m[2]}{'a' if m[3] == '1' else 'b'}"),
)

_SPELLINGS: tuple[_Rule, ...] = (
    # older and German spellings of the tractates: J for Y, -oth for -ot, s for z between vowels
    _sub(r"^J(?=[aeiou][a-z]+,? \d+[ab](?:,|$))", "Y"),  # a daf with its amud: a tractate
    _sub(r"(?<=[a-z])oth\b", "ot"),
    _sub(r"^(Mishnah? [A-Z][aeiou]+)s(?=[aeiou]r? \d)", r"\1z"),
    _sub(r"(?<=[a-z])[ae]y\b", "ei"),  # 'Yesodey', 'Isuray': Yiddish-style for -ei
    _sub(r"\b([Dd]')?Rebbi\b", r"\1Rabbi"),
    _sub(r"\bTiqqun", "Tikkun"),
    _sub(r"(?:(?<=[a-z] )|(?<=[a-z]\. ))Rabba\b", "Rabbah"),  # 'Leviticus Rabba', 'Exod. Rabba'
    _sub(r"^([1-3]?\s?[A-Z][a-z]{1,5}\.?)(?=\d)", r"\1 "),  # 'Ex20.8': the book glued to its chapter
    _sub(r"\bha-(?=[A-Z])", "Ha"),
    _sub(r"\b(?:Prohibitions?|Negative commandments?)\b", "Negative Commandments", re.IGNORECASE),
)

_ADDRESSES: tuple[_Rule, ...] = (
    # a Roman chapter after a title ('Jer. X, 10', 'Num. XXII-XXIV', 'Ps. X')
    _sub(rf"^(.*?[A-Za-z.,]\s)({_ROMAN})(?:-({_ROMAN}))?(?=[,.]?\s*\d|\s*$)", _roman_address),
    # two verses written '7. 8' or '15, 16'
    _sub(r"^(.*\d[:,.]\s?)(\d+)[.,]\s(\d+)$", _two_verses),
    # the section name before a daf ('Tikkunei Zohar, Second Preface, 17a-b')
    _sub(r",\s*(?:Second|First)?\s*(?:Preface|Introduction)\s*,", ""),
)

# A chapter in letters, as the maarei mekomot write it: פ"ג, פי"ב (its gershayim inside), פרק ג
_HE_CHAPTER = r"(?:פ[\"'][א-ת]{1,2}|פ[א-ת]{1,2}[\"'][א-ת]|פרק\s+[א-ת\"']+)"

# The minor tractates, named without the word מסכת that begins their titles ('סופרים א ז').
_MINOR_TRACTATE = re.compile(r"^(סופרים|שמחות|כלה רבתי|כלה|דרך ארץ רבה|דרך ארץ זוטא|גרים|כותים|עבדים)\s")
# A marked chapter at the end of a name ('מעשה הקרבנות פ"י'): the Mishneh Torah's hilchot named without the word.
_HILCHOT_UNNAMED = re.compile(
    r"^(?!הלכות\s)([א-ת]+(?:\s[א-ת]+){0,3}),?\s+(פ[\"'][א-ת]{1,2}|פ[א-ת][\"'][א-ת])$"
)


def _portion_first(text: str) -> str:
    """'צו, מעשה הקרבנות פ"י': Sefer HaMitzvot names the weekly portion before the hilchot a commandment
    is in; the hilchot are the place."""
    head, comma, rest = text.partition(", ")
    if comma and " " not in head and _portions.portion(head) is not None and _HILCHOT_UNNAMED.match(rest):
        return rest
    return text


_RABBAH_OF_BOOK = {
    "Genesis": "בראשית רבה",
    "Exodus": "שמות רבה",
    "Leviticus": "ויקרא רבה",
    "Numbers": "במדבר רבה",
    "Deuteronomy": "דברים רבה",
}
_MIDRASH_RABBAH_PORTION = re.compile(r"^מדרש רבה,?\s+(?:פרשת\s+)?([א-ת]+(?:\s[א-ת]+)?),?\s+(?=פרשה\s)")


def _rabbah_by_portion(text: str) -> str:
    """'מדרש רבה, צו פרשה ט': the Midrash Rabbah named with a weekly portion is the Rabbah of the portion's
    book (Vayikra Rabbah), cited by its own parashah."""
    m = _MIDRASH_RABBAH_PORTION.match(text)
    span = _portions.portion(m[1]) if m else None
    rabbah = _RABBAH_OF_BOOK.get(span.split()[0]) if span else None
    if m is None or rabbah is None:
        return text
    return rabbah + " " + text[m.end() :]


# The Hebrew of the maarei mekomot.
_HEBREW: tuple[_Rule, ...] = (
    # niqqud and cantillation ('מַעֲשֶׂה הַקָּרְבָּנוֹת'): the rules below read letters
    _sub(r"[\u0591-\u05bd\u05bf-\u05c7]", ""),
    # '(שיר א)': in parentheses, a source, שיר with a chapter alone is the Song of Songs too (bare, 'שיר ב' is
    # no citation)
    _sub(r"^\(\s*שיר(?=\s+[א-ח]['\"]?\s*\)$)", "(שיר השירים"),
    _sub(r"^\(\s*(.*?)\s*\)?$", r"\1"),
    _sub(r"^\[\s*(.*?)\s*\]$", r"\1"),
    _sub(r"\s*(?:ד[\"']ה|בד[\"']ה)\s.*$", ""),
    # 'משנה מועד קטן יח ע"ב': a mishnah by the daf and amud it is printed on in the Bavli is that daf
    _sub(r"^משנה\s+(?=\D+\s[א-ת\"']{1,4}(?:[.:]|\s+ע[\"'][אב]\.?)$)", ""),
    # 'מל"ת שכ' (before the marked numbers below read מ"לת): the negative commandments of the Rambam's Sefer HaMitzvot
    _sub(r"^מל[\"'״]ת\s+(?=[א-ת])", "ספר המצוות, מצוות לא תעשה "),
    # the Rambam named ('מיי'', 'רמב"ם,') before the hilchot
    _sub(r"^(?:מיי['\"]|מיימוני|רמב[\"']ם),?\s+", ""),
    # 'זמנים הלכות שבת פ"א': the Mishneh Torah's book named before its hilchot
    _sub(
        r"^(?:ספר\s+)?(?:ה?מדע|אהבה|זמנים|נשים|קדושה|הפלאה|זרעים|עבודה|קרבנות|טהרה|נזיקין|קנין|משפטים|שופטים),?\s+"
        r"(?=הלכות\s|הל['\"]\s)",
        "",
    ),
    # 'בי"ד סי' רס"ו', 'באו"ח סימן ה': a part of the Shulchan Arukh by its initials, after the preposition
    # ב ('in'), before the siman; י"ד before a siman is יו"ד (Yoreh De'ah), not the number 14
    _sub(r"^ב(?=(?:או|יו|אה|חו)[\"'][חדעמ]\s+סי(?:מן\s|['\"]))", ""),
    _sub(r"^ב?י[\"']ד(?=\s+סי(?:מן\s|['\"]))", 'יו"ד'),
    # 'בפ"ב מהלכות שכירות', 'ובפ"א דהלכות עדות': the preposition before the chapter ('(and) in chapter 2 of')
    _sub(r"^ו?ב(?=פ[\"'][א-ת]|פ[א-ת]{1,2}[\"'][א-ת]|פרק\s)", ""),
    # 'ובתוספתא דחגיגה פרק ב'', 'ירושלמי דברכות': the corpus, then its tractate with ד ('of')
    _sub(r"^ו?ב?(תוספתא|ירושלמי|בבלי|משנה|מסכת)\s+ד(?=[א-ת\"']{2,}\s)", r"\1 "),
    # 'פ"ג דב"מ דף ל"ג ע"ב', 'פ"ק דשבת (דף י')': the chapter of a tractate before its daf; the daf is the
    # address
    _sub(rf"^{_HE_CHAPTER}\s+ד(?=[א-ת\"']+\s+\(?דף\s)", ""),
    # 'סנהדרין פרק אלו הן הנחנקין (דף פ"ח:)': a tractate's chapter by its opening words before the daf; the
    # daf is the address
    _sub(r"(?<=[א-ת\"'])\s+פרק\s+(?:[א-ת\"']+\s+){1,4}?(?=\(?דף\s)", " "),
    # 'יומא די"ג ב'': the daf glued to ד ('of daf') right after the tractate's name; no number begins with
    # ד before a greater letter
    _sub(
        r"^([א-ת\"']{3,}(?:\s[א-ת\"']{3,})?\s)ד(?=[הוזחטיכלמנסעפצקרשת](?:[\"'][א-ט]|[א-ט]?['\"]?)[.:]?"
        r"(?:\s+(?:ע[\"'])?[אב]['\"]?)?$)",
        r"\1דף ",
    ),
    # 'פי"ב מהל' שבת הלכה ט'': the chapter before the hilchot it is of, with or without the מ ('פ"ט הל'
    # שבת הל' ט"ו') or with ד ('פ"א דהלכות עדות'); the halakha after the name may be abbreviated ('הל' ג'',
    # 'הלכ' ג'), written as a siman ('סי' ג''), or follow a comma
    _sub(
        rf"^({_HE_CHAPTER})\s+(?:מהלכות|מהל['\"]?|מה['\"]|ד?הלכות|ד?הל['\"])\s+(.+?),?(?=\s+(?:הלכה|הלכות|הלכ?['\"]|דין|סי['\"]|סימן|ה[\"'][א-ת]|ה[א-ת][\"'][א-ת])|$)",
        r"הלכות \2 \1",
    ),
    _sub(r"^(?:הל['\"]|מהל['\"]|הלכ['\"])\s", "הלכות "),
    # 'דין ח'' after the chapter of a hilchot: the halakha (the Be'er HaGolah's word)
    _sub(r"^(הלכות\s.+\s(?:פ[\"'][א-ת]{1,2}|פרק\s+[א-ת\"']+))\s+דין\s", r"\1 הלכה "),
    # a marked number with its gershayim inside: פי"ב = פ"יב (perek 12), הי"ב (halakha 12), מי"ד
    _sub(r"(?<![א-ת\"'])([פהמ])([א-ת]{1,2})\"([א-ת])(?![א-ת\"'])", r'\1"\2\3'),
    # 'הלכות יא-יג' after a chapter: the halakhot, the level word
    lambda t: _HE_PLURAL_LEVEL.sub(r"\1הלכה", t),
    # '(שיר ב ו)': the Zohar's and the midrashim's editions cite the Song of Songs as שיר, with its chapter
    # (one to eight) and verse
    _sub(r"^שיר(?=\s+[א-ח]['\"]?,?\s+[א-ת]{1,2}['\"]?[א-ת]?$)", "שיר השירים"),
    # 'בראשית רבה (וילנא) פרשת ויצא פרשה עג', 'במדבר פרשת חקת פרק כ': the Bar-Ilan form names the weekly
    # portion before the midrash's own parashah or the book's chapter; they are the address
    _sub(r"\s+פרשת\s+(?:[א-ת]+\s+){1,2}?(?=פר(?:שה|ק)\s)", " "),
    _rabbah_by_portion,
    _sub(_MINOR_TRACTATE.pattern, r"מסכת \1 "),
    _portion_first,
    lambda t: _HILCHOT_UNNAMED.sub(r"הלכות \1 \2", t),
    # abbreviations inside a title
    _sub(r"(?<=הלכות )ת[\"']ת\b", "תלמוד תורה"),
    _sub(r"^(?:סמ[\"']ג|סמג)\s", "ספר מצוות גדול "),
    _sub(r"\sחו[\"']מ\s", " על שולחן ערוך חושן משפט "),
    _sub(r"\sאו[\"']ח\s", " על שולחן ערוך אורח חיים "),
    _sub(r"\sיו[\"']ד\s", " על שולחן ערוך יורה דעה "),
    _sub(r"\sס[\"']ק\s", " "),
    # the Rambam's Sefer HaMitzvot by its two halves ('ספר המצוות לא תעשה: שכ"ב', 'סהמ"צ עשה ג')
    _sub(
        r"^(?:ספר המצוות|סהמ[\"']צ),?\s+(?:מצו?ות\s+)?(?:לא תעשה|ל[\"']ת|לאוין):?\s",
        "ספר המצוות, מצוות לא תעשה ",
    ),
    _sub(r"^(?:ספר המצוות|סהמ[\"']צ),?\s+(?:מצו?ות\s+)?(?:עשה|עשין):?\s", "ספר המצוות, מצוות עשה "),
    # the top, bottom or end of an amud is the amud: רע"א, סע"ב, ריש ע"א
    _sub(r"(?<![א-ת])(?:ר|ס|סוף\s|ריש\s|רע)ע[\"']([אב])(?![א-ת])", r'ע"\1'),
)


def variants(text: str) -> Iterator[str]:
    """Readings of a footnote form to try, in order, after the plain reading failed: each stage's
    rewrite of the one before, so `(Maimonides, Mishneh Torah, Laws of Repentance 1:1)` is tried
    without its parentheses, then without the author as well."""
    seen = {text}
    rules = _HEBREW if re.search(r"[א-ת]", text[:12]) else _CLEANUPS + _SPELLINGS + _ADDRESSES
    current = " ".join(text.replace("’", "'").replace("–", "-").split())
    if current not in seen:
        seen.add(current)
        yield current
    for rule in rules:
        new = rule(current).strip()
        if new and new not in seen:
            seen.add(new)
            current = new
            yield new
            for alt in _alternatives(new):
                if alt not in seen:
                    seen.add(alt)
                    yield alt
    for alt in _alternatives(current):
        if alt not in seen:
            seen.add(alt)
            yield alt


def _alternatives(text: str) -> Iterator[str]:
    """The other readings of a rewritten form: a tractate abbreviation, a name given twice
    (`Tehilim/Psalms`), a commentary on a book named in another language."""
    daf = _tractate_daf(text)
    if daf != text:
        yield daf
    slash = re.match(r"^[^\s/]+/(\S.*)$", text)
    if slash is not None:
        yield slash[1]
