"""Generate src/madrega/data/catalog_sefaria.json from a LOCAL copy of Sefaria's public index data.

The hand-curated catalog.json stays the authority: this script only adds the works it does not have, and
the loader (madrega.refs.catalog) merges the two with the curated entries winning. Titles, Hebrew titles,
alternative titles, categories and structure are facts; the data they come from is Sefaria's (index data
and text structure: CC-BY-SA / public domain per text, see https://www.sefaria.org/terms). The generated
file records the sources below with their commits.

The local copy lives outside the repository, in /work/wt/catalog-data/ (or `--data DIR`):

  API_UpdateForSefariaMobileDatabase.db
      Sefaria's own index database as shipped in its Android app: every book's title, Hebrew title,
      categories, depth, section names, the base text a commentary is on, its collective title, and the
      schema nodes (complex books, parashot) and alternate structures (parashot of Yalkut Shimoni …).
      From github.com/Sefaria/Sefaria-Android, app/src/main/assets/API_UpdateForSefariaMobileDatabase.zip
      at commit 83018dd109616818b4d242760cc959f0d80be4c0 (unzip it):
          git -C Sefaria-Android show 83018dd:app/src/main/assets/API_UpdateForSefariaMobileDatabase.zip > a.zip
          unzip a.zip -d /work/wt/catalog-data/
  schemas-2015/schemas/*.json
      Sefaria-Export's index schemas (titles with every alternative title in English and Hebrew) as
      exported in December 2015: github.com/kidaa/Sefaria-Export (a fork of Sefaria/Sefaria-Export) at
      commit a6dec64129a398f1a287cd933a366a616f40362b:
          git -C Sefaria-Export archive a6dec64 schemas | tar -x -C /work/wt/catalog-data/schemas-2015
  schemas-current/*.json
      Newer Sefaria-Export schemas where the structure matters and changed (Tikkunei Zohar's tikkunim):
      github.com/Sefaria/Sefaria-Export schemas/<Title>.json at commit
      1af9cdcbd6a0aa32443579b5db53c01772b1dd8c.

Run `python scripts/catalog_from_sefaria.py` to rewrite the generated file. Generation is deterministic;
rules it keeps (see the loader): a generated work never takes a name the curated catalog has, and a name
two generated works claim is dropped from both and recorded as an ambiguity (never guessed).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from madrega.refs.catalog import Catalog, name_key  # noqa: E402

CURATED = ROOT / "src" / "madrega" / "data" / "catalog.json"
OUT = ROOT / "src" / "madrega" / "data" / "catalog_sefaria.json"
DATA = Path("/work/wt/catalog-data")
DB_NAME = "API_UpdateForSefariaMobileDatabase.db"

SOURCES = [
    {
        "repo": "Sefaria/Sefaria-Android",
        "path": "app/src/main/assets/API_UpdateForSefariaMobileDatabase.zip",
        "commit": "83018dd109616818b4d242760cc959f0d80be4c0",
        "what": "titles, Hebrew titles, categories, structure, schema nodes, alternate structures (2018)",
    },
    {
        "repo": "kidaa/Sefaria-Export",
        "path": "schemas/*.json",
        "commit": "a6dec64129a398f1a287cd933a366a616f40362b",
        "what": "alternative titles in English and Hebrew (Sefaria-Export, December 2015)",
    },
    {
        "repo": "Sefaria/Sefaria-Export",
        "path": "schemas/Tikkunei_Zohar.json",
        "commit": "1af9cdcbd6a0aa32443579b5db53c01772b1dd8c",
        "what": "Tikkunei Zohar's tikkunim and introductions (alternate structure)",
    },
]
LICENCE = (
    "Sefaria's index data (titles, categories, structure): CC-BY-SA; the texts themselves are public "
    "domain or under the licence of each version. Facts only are used here: no text."
)

# Top-level categories left out: the Apocrypha are refused as refs, the rest is rarely cited.
SKIP_CATEGORIES = {"Apocrypha", "Modern Works", "Other", "Reference", "Tefillah", "Liturgy"}
SKIP_TITLE = re.compile(r"^(Footnotes|Summary of|Buber footnotes|Wikisource Footnotes)|Footnotes")

# Sefaria's section names → the catalog's kinds (data["kinds"]); a last level of SEGMENT is the segment
# the library stores, cited as one level more than the work's kinds.
KINDS = {
    "chapter": "chapter", "chapters": "chapter", "perek": "chapter", "verse": "verse", "pasuk": "verse",
    "passuk": "verse", "mishnah": "mishnah", "mishna": "mishnah", "halakhah": "halakha",
    "halacha": "halakha", "halakha": "halakha", "tosefta": "halakha", "daf": "daf", "siman": "siman",
    "seif": "seif", "seif katan": "seif", "paragraph": "paragraph", "section": "section",
    "remez": "remez", "mitzvah": "mitzvah", "piska": "piska", "gate": "gate",
    "torah": "torah", "essay": "essay", "volume": "part", "teshuva": "teshuvah", "teshuvah": "teshuvah", "letter": "letter",
    "parasha": "parasha", "parsha": "parasha", "tikkun": "tikkun", "year": "year", "part": "part",
}  # fmt: skip
SEGMENT = {"comment", "line", "segment", "paragraph", "comments"}
MOST_WORDS = 12
MOST_SECTIONS = 120  # a book of more named sections than this is kept only if it is arranged by parasha

# The forms a collective commentary is cited in: 'Ritva on Berakhot', 'Ritva Berakhot', 'ריטב"א ברכות'.
EN_FORMS = ("{c} on ", "{c} ", "{c}, ", "{c} to ")
HE_FORMS = ("{c} על ", "{c} ")

# Common ways of writing a work's name that Sefaria's titles lack (transliterations people use).
EXTRA_ALIASES: dict[str, list[str]] = {
    "Kedushat Levi": ["Kedushas Levi", "Kedushat Levi al HaTorah"],
    "Sefat Emet": ["Sfat Emet", "Sfas Emes", "Sefas Emes", "Sefat Emes"],
    "Noam Elimelech": ["Noam Elimelekh", "No'am Elimelech"],
    "Me'or Einayim": ["Meor Einayim", "Maor Einayim", "Me'or Enayim", "Meor Enayim"],
    "Degel Machaneh Ephraim": ["Degel Machane Ephraim", "Degel Machaneh Efraim", "Degel Mahaneh Ephraim"],
    "Toldot Yaakov Yosef": ["Toldos Yaakov Yosef", "Toldot Ya'akov Yosef"],
    "Duties of the Heart": ["Chovot HaLevavot", "Chovos HaLevavos", "Hovot HaLevavot", "Chovot Halevavot"],
    "Pardes Rimonim": ["Pardes Rimmonim", "Pardes"],
    "Shaarei Teshuvah": ["Shaarei Teshuva", "Sha'arei Teshuvah", "Shaare Teshuvah", "Gates of Repentance"],
    "Orchot Chaim L'HaRosh": ["Orchot Chaim", "Orchos Chaim", "Orchot Chaim LeHaRosh"],
    "Chofetz Chaim": ["Chafetz Chaim", "Chofetz Chayim", "Hafetz Hayim"],
    "Shemirat HaLashon": ["Shmirat HaLashon", "Shemiras HaLashon", "Shmiras Halashon"],
    "Aruch HaShulchan": ["Arukh HaShulchan", "Aruch Hashulchan", "Arukh HaShulhan"],
    "Shulchan Aruch HaRav": ["Shulchan Arukh HaRav", "Shulchan Aruch Harav", "SA HaRav"],
    "Beit Yosef": ["Beis Yosef", "Bet Yosef"],
    "Turei Zahav on Shulchan Arukh, Orach Chayim": [
        "Taz on Orach Chayim",
        "Taz OC",
        "Turei Zahav OC",
        "Taz Orach Chayim",
        "Taz Orach Chaim",
        "Taz on Orach Chaim",
        "Turei Zahav Orach Chayim",
        "Turei Zahav Orach Chaim",
    ],
    "Siftei Cohen on Yoreh De'ah": [
        "Shach on Yoreh De'ah",
        "Shach YD",
        "Siftei Kohen on Yoreh De'ah",
        "Shach Yoreh De'ah",
        "Siftei Kohen Yoreh De'ah",
    ],
    "Siftei Kohen on Shulchan Arukh, Choshen Mishpat": [
        "Shach on Choshen Mishpat",
        "Shach CM",
        "Shach Choshen Mishpat",
    ],
    "Ketzot HaChoshen on Shulchan Arukh, Choshen Mishpat": ["Ketzot HaChoshen", "Ketzos HaChoshen"],
    "Sha'arei Teshuvah on Shulchan Arukh, Orach Chayim": ["Shaarei Teshuvah on Orach Chayim"],
    "Magen Avraham": ["Magen Avrohom", "M.A."],
    "Biur Halacha": ["Biur Halakhah", "Beur Halacha", "Bi'ur Halacha"],
    "Yalkut Shimoni on Nach": ["Yalkut Shimoni Nach", "Yalkut Shimoni, Nach"],
    "Sefer Etz Chaim": ["Etz Chaim", "Eitz Chaim", "Etz Chayim"],
    "Chizkuni": ["Chizkuni on the Torah", "Hizkuni"],
    "Sefer Tomer Devorah": ["Tomer Devorah"],
    "Sefer Mitzvot Gadol": ["SMaG", "Semag", "Sefer Mitzvos Gadol", "Sefer Mitsvot Gadol"],
}
# Hebrew names people write that Sefaria's Hebrew titles lack (abbreviations, the singular חובת).
EXTRA_HE_ALIASES: dict[str, list[str]] = {
    "Duties of the Heart": ["חובת הלבבות", 'חובה"ל', 'חוה"ל', "חובות הלבבות לרבינו בחיי"],
    "Sefer Mitzvot Gadol": ['סמ"ג', "סמ״ג", "ספר מצות גדול", "ספר מצוות הגדול"],
}
# Named sections people write by another name (the gates of Chovot HaLevavot).
EXTRA_PART_NAMES: dict[str, list[str]] = {
    "Duties of the Heart, First Treatise on Unity": ["Shaar HaYichud", "Sha'ar HaYichud"],
    "Duties of the Heart, Second Treatise on Examination": ["Shaar HaBechinah", "Sha'ar HaBechina"],
    "Duties of the Heart, Third Treatise on Service of God": [
        "Shaar Avodat HaElokim",
        "Shaar Avodas HaElokim",
    ],
    "Duties of the Heart, Fourth Treatise on Trust": [
        "Shaar HaBitachon",
        "Sha'ar HaBitachon",
        "Gate of Trust",
    ],
    "Duties of the Heart, Fifth Treatise on Devotion": ["Shaar Yichud HaMaaseh", "Shaar Yichud HaMa'aseh"],
    "Duties of the Heart, Sixth Treatise on Submission": ["Shaar HaKniah", "Shaar HaKeniah"],
    "Duties of the Heart, Seventh Treatise on Repentance": ["Shaar HaTeshuvah", "Sha'ar HaTeshuva"],
    "Duties of the Heart, Eighth Treatise on Examining the Soul": [
        "Shaar Cheshbon HaNefesh",
        "Cheshbon HaNefesh",
    ],
    "Duties of the Heart, Ninth Treatise on Abstinence": ["Shaar HaPerishut", "Shaar HaPrishut"],
    "Duties of the Heart, Tenth Treatise on Devotion to God": ["Shaar Ahavat Hashem", "Shaar Ahavas Hashem"],
    # The SMaG's two books, as its citations name them ('SMaG Positive 40', 'סמ"ג עשה מ', 'סמ"ג לאוין סה').
    "Sefer Mitzvot Gadol, Positive Commandments": ["Positive", "Aseh", "Asin", "Esin", "Positive Mitzvot"],
    "Sefer Mitzvot Gadol, Negative Commandments": [
        "Negative",
        "Lo Taaseh",
        "Lavin",
        "Lavin",
        "Negative Mitzvot",
    ],
}
EXTRA_HE_PART_NAMES: dict[str, list[str]] = {
    "Duties of the Heart, Fourth Treatise on Trust": ["שער הבטחון"],
    "Sefer Mitzvot Gadol, Positive Commandments": ["עשה", "מצות עשה", "מצוות עשה"],
    "Sefer Mitzvot Gadol, Negative Commandments": ['ל"ת', "לא תעשה", "מצות לא תעשה", "מצוות לא תעשה", "לאו"],
}
# Ordinal words that open the name of a numbered section ('Fourth Treatise on Trust' is treatise 4).
ORDINALS = {
    w: n
    for n, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
        1,
    )
}


def _category(categories: list[str]) -> str:
    top = categories[0]
    if "Commentary" in categories[1:] or top == "Commentary":
        return "Halakhah" if top == "Halakhah" else "Commentary"
    if top == "Tanakh" and "Targum" in categories:
        return "Targum"
    return {"Tanaitic": "Tosefta", "Tefillah": "Liturgy", "Liturgy": "Liturgy"}.get(top, top)


def _kinds(section_names: list[str] | None, depth: int) -> tuple[list[str], bool]:
    names = [n.strip().lower() for n in section_names or [] if n and n.strip()]
    if len(names) != depth:
        names = (["section"] * (depth - 1) + ["paragraph"]) if depth else []
    kinds = [KINDS.get(n, re.sub(r"[^a-z]+", "-", n).strip("-") or "section") for n in names]
    if len(names) >= 2 and names[-1] in SEGMENT:
        return kinds[:-1], True
    return kinds, False


def _schema_titles(schemas: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Every title and alternative title (English, Hebrew) of each work in the Sefaria-Export schemas."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(schemas.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        en = list(data.get("titleVariants") or [])
        he = list(data.get("heTitleVariants") or [])
        for t in (data.get("schema") or {}).get("titles") or []:
            (he if t.get("lang") == "he" else en).append(t.get("text", ""))
        title = data.get("title")
        if title:
            found[title] = (en, he)
    return found


def _clean(names: list[str]) -> list[str]:
    """The names without markup, each key once. A name with a qualifier in parentheses ('Explanation of
    the 10 Sefirot (Azriel of Gerona)') is kept without it too: the parser drops parenthesized words
    from what it reads, so the qualified name alone could never be matched."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(re.sub(r"<[^>]+>", "", raw or "").split())
        bare = " ".join(re.sub(r"\([^()]*\)", " ", name).split())
        for form in (name, bare) if bare != name else (name,):
            key = name_key(form)
            if len(key) >= 2 and key not in seen:
                seen.add(key)
                out.append(form)
    return out


def _section_names(en: str, he: str) -> tuple[list[str], list[str]]:
    """The names people give a section that Sefaria titles 'Chapter Nine: ON JOY' / 'שער התשיעי - שער
    השמחה': 'Gate of Joy', 'On Joy'; each half of the Hebrew, and the half spelled with one vav or yod
    where Sefaria doubles it ('שער הגאווה', 'שער הגאוה')."""
    names: list[str] = []
    topic = en.split(":", 1)[1].strip() if ":" in en else ""
    if topic:
        topic = re.sub(r"^on\s+", "", topic, flags=re.I).title()
        names += [f"Gate of {topic}", f"On {topic}", f"The Gate of {topic}"]
    he_names: list[str] = []
    for half in [h.strip() for h in he.split(" - ")] if " - " in he else []:
        he_names.append(half)
        single = re.sub(r"וו", "ו", re.sub(r"יי", "י", half))
        if single != half:
            he_names.append(single)
    return names, he_names


def number_parts(works: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
    """A book whose sections are named by ordinals ('First Treatise on Unity' … 'Tenth Treatise …') is
    cited by their numbers ('Chovot HaLevavot 4:3' is the fourth treatise, chapter 3): each such section
    gets its `part` number and the group `numbered_parts`, when the ordinals run 1..N once each. Sections
    of another name (an introduction) keep no number."""
    for group in groups:
        prefix = group["name"] + ", "
        numbered: dict[int, dict[str, Any]] = {}
        clash = False
        for work in works:
            if work.get("group") != group["name"] or not work["title"].startswith(prefix):
                continue
            name = work["title"][len(prefix) :]
            n = ORDINALS.get(name.split()[0].lower().rstrip(",;"))
            if n is None or "introduction" in name.lower():
                continue
            clash = clash or n in numbered
            numbered[n] = work
        if clash or len(numbered) < 2 or sorted(numbered) != list(range(1, len(numbered) + 1)):
            continue
        for n, work in numbered.items():
            work["part"] = n
        group["numbered_parts"] = True


class Builder:
    def __init__(self, data: Path) -> None:
        self.db = (
            sqlite3.connect(data / DB_NAME) if (data / DB_NAME).exists() else sqlite3.connect(":memory:")
        )
        self.db.row_factory = sqlite3.Row
        self.alt_titles = _schema_titles(data / "schemas-2015" / "schemas")
        self.current = data / "schemas-current"
        self.curated = json.loads(CURATED.read_text(encoding="utf-8"))
        self.cat = Catalog(self.curated)
        self.taken = {name_key(n) for n, _ in self.cat.all_names()}
        self.parashot = self._parasha_names()
        self.works: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.families: list[dict[str, Any]] = []
        self.alts: dict[str, dict[str, Any]] = {}
        self.by_id: dict[int, str] = {}  # Books._id → the catalog title it became
        self.curated_collectives: dict[str, list[str]] = defaultdict(list)

    def _parasha_names(self) -> dict[str, tuple[list[str], list[str]]]:
        """The Torah portions' names (the curated Midrash Tanchuma parts): key of any name → all names."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        self.parasha_of: dict[str, str] = {}
        group = self.cat.groups.get("Midrash Tanchuma")
        for work in group.parts.values() if group else ():
            en, he = self.cat._part_names(work)
            short = work.title.split(", ", 1)[1]
            names = (
                _clean([short, *en, *(f"Parashat {n}" for n in en)]),
                _clean([work.he_title.split(", ")[1], *he]),
            )
            for name in (*names[0], *names[1]):
                out.setdefault(name_key(name), names)
                self.parasha_of.setdefault(name_key(name), short)
        return out

    def curated_has(self, *names: str) -> bool:
        return any(name_key(n) in self.taken or self.cat.exact(name_key(n)) is not None for n in names if n)

    # ---- one book
    def book(self, row: sqlite3.Row) -> None:
        title, he = row["title"].strip(), (row["heTitle"] or "").strip()
        categories = json.loads(row["categories"] or "[]")
        if not categories or categories[0] in SKIP_CATEGORIES or SKIP_TITLE.search(title) or not he:
            return
        if self.curated_has(title) or (he and self.curated_has(he) and not row["commentsOn"]):
            self.by_id[row["_id"]] = title if self.cat._by_title.get(title) else ""
            if row["commentsOn"] and row["enCollectiveTitle"]:  # 'Or HaChaim' alone: any of them
                self.curated_collectives[row["enCollectiveTitle"]].append(title)
                if row["heCollectiveTitle"]:
                    self.curated_collectives[row["heCollectiveTitle"]].append(title)
            if title in self.cat._by_title:
                self._alt_structs(
                    title, he, self.db.execute("select * from Nodes where bid=?", (row["_id"],)).fetchall()
                )
            return
        en_alts, he_alts = self.alt_titles.get(title, ([], []))
        aliases = _clean([a for a in [*en_alts, *EXTRA_ALIASES.get(title, [])] if a != title])
        he_aliases = _clean([a for a in [*he_alts, *EXTRA_HE_ALIASES.get(title, [])] if a != he])
        category = _category(categories)
        nodes = self.db.execute(
            "select * from Nodes where bid=? order by structNum, parentNode, siblingNum", (row["_id"],)
        ).fetchall()
        schema = [n for n in nodes if n["structNum"] == 1]
        depth = row["textDepth"] or 0
        base = self.by_id.get(row["commentsOn"]) if row["commentsOn"] else None
        entry: dict[str, Any] = {"title": title, "he": he, "translit": "", "category": category}
        if depth:
            kinds, segments = _kinds(json.loads(row["sectionNames"] or "null"), depth)
            self._add_work(entry, kinds, segments, aliases, he_aliases, base, row)
        else:
            self._complex(entry, schema, aliases, he_aliases, base, row)
        self.by_id[row["_id"]] = title
        self._alt_structs(title, he, nodes)

    @staticmethod
    def citable(title: str) -> bool:
        """A title a citation can end and an address begin after: no digits, parentheses or periods
        (the parser reads those as the address, a translation tag or the URL form)."""
        words = title.split()
        return (
            not re.search(r"[().\d\[\]:]", title)
            and len(words) <= MOST_WORDS
            and not any(re.fullmatch(r"[IVXivx]+,?", w) for w in words)
        )

    def _add_work(
        self,
        entry: dict[str, Any],
        kinds: list[str],
        segments: bool,
        aliases: list[str],
        he_aliases: list[str],
        base: str | None,
        row: sqlite3.Row | None,
    ) -> None:
        if not kinds or not self.citable(entry["title"]) or not self.citable(entry["he"]):
            return
        work = dict(entry, kinds=kinds, aliases=aliases, he_aliases=he_aliases)
        if segments:
            work["segments"] = True
        if base:
            work["base"] = base
        coll = row["enCollectiveTitle"] if row is not None else None
        if coll and base:
            work["collective"] = coll
            work["he_collective"] = row["heCollectiveTitle"] or ""
        self.works.append(work)

    def _complex(
        self,
        entry: dict[str, Any],
        schema: list[sqlite3.Row],
        aliases: list[str],
        he_aliases: list[str],
        base: str | None,
        row: sqlite3.Row,
    ) -> None:
        """A book of named sections: each leaf becomes a work titled by its path ('Sefat Emet, Genesis,
        Vayera'), a part of the book's group, called also by its own name after the book's ('Sefat Emet,
        Vayera'). A default (unnamed) node is the book itself."""
        children: dict[int, list[sqlite3.Row]] = defaultdict(list)
        for node in schema:
            children[node["parentNode"]].append(node)
        roots = children.get(0, [])
        if not roots:
            return
        leaves: list[tuple[list[sqlite3.Row], sqlite3.Row]] = []

        def walk(node: sqlite3.Row, path: list[sqlite3.Row]) -> None:
            kids = children.get(node["_id"], [])
            if node["textDepth"] is not None and not kids:
                leaves.append((path, node))
            for kid in kids:
                walk(kid, [*path, kid])

        walk(roots[0], [])
        default = [leaf for path, leaf in leaves if len(path) == 1 and not (leaf["enTitle"] or "").strip()]
        if default:
            kinds, segments = _kinds(
                json.loads(default[0]["sectionNames"] or "null"), default[0]["textDepth"]
            )
            self._add_work(entry, kinds, segments, aliases, he_aliases, base, row)
        parts: list[dict[str, Any]] = []
        for path, leaf in leaves:
            named = [n for n in path if (n["enTitle"] or "").strip()]
            if named and len(path) == len(named) + 1 and not (path[-1]["enTitle"] or "").strip():
                pass  # a section's default node: the section itself is cited ('…, Fourth Treatise on Trust 3')
            elif not named or len(named) != len(path):
                continue
            en_path = [n["enTitle"].strip() for n in named]
            he_path = [(n["heTitle"] or "").strip() for n in named]
            kinds, segments = _kinds(json.loads(leaf["sectionNames"] or "null"), leaf["textDepth"])
            title = ", ".join([entry["title"], *en_path])
            if not self.citable(title) or not all(self.citable(h) for h in (entry["he"], *he_path)):
                continue
            if not _kinds(None, leaf["textDepth"])[0]:
                continue
            part: dict[str, Any] = {
                "title": title,
                "he": ", ".join([entry["he"], *he_path]),
                "translit": "",
                "category": entry["category"],
                "kinds": kinds,
                "aliases": [],
                "he_aliases": [],
            }
            if segments:
                part["segments"] = True
            en_names = [en_path[-1], " ".join(en_path), *EXTRA_PART_NAMES.get(title, [])]
            he_names = [he_path[-1], " ".join(he_path), *EXTRA_HE_PART_NAMES.get(title, [])]
            if " - " in he_path[-1]:  # 'שער רביעי - שער הביטחון': each half is a name of the gate
                he_names += [h.strip() for h in he_path[-1].split(" - ")]
            portion = self.parasha_of.get(name_key(en_path[-1])) or self.parasha_of.get(name_key(he_path[-1]))
            if portion:  # the loader adds the portion's names (the curated Midrash Tanchuma's)
                part["parasha"] = portion
            part["part_names"], part["he_part_names"] = _clean(en_names), _clean(he_names)
            parts.append(part)
        portions = sum(1 for part in parts if "parasha" in part)
        if len(parts) > MOST_SECTIONS and portions < len(parts) // 3:
            parts = []  # an anthology of hundreds of pieces: cited by its pieces' own titles, left out
        if not parts:
            return
        # A name two sections share ('Introduction' of every gate) names neither: only the full path does.
        counts: dict[str, int] = defaultdict(int)

        def keys(part: dict[str, Any]) -> set[str]:
            portion = self.parashot.get(name_key(part.get("parasha", ""))) or ([], [])
            return {
                name_key(n) for n in (*part["part_names"], *part["he_part_names"], *portion[0], *portion[1])
            }

        for part in parts:
            for name in keys(part):
                counts[name] += 1
        for part in parts:
            if any(counts[k] > 1 for k in keys(part)) and "parasha" in part:
                del part["parasha"]  # two sections of one portion ('Vayera' in two years): full titles only
            part["part_names"] = [n for n in part["part_names"] if counts[name_key(n)] == 1]
            part["he_part_names"] = [n for n in part["he_part_names"] if counts[name_key(n)] == 1]
            part["group"] = entry["title"]
            self.works.append(part)
        if not default:
            self.groups.append(
                {"name": entry["title"], "he": entry["he"], "aliases": aliases, "he_aliases": he_aliases}
            )
        else:  # the book is a work of its own; its sections are reached by their full titles
            for part in parts:
                part.pop("group")
                part.pop("part_names")
                part.pop("he_part_names")
                part.pop("parasha", None)

    def _alt_structs(self, title: str, he: str, nodes: list[sqlite3.Row]) -> None:
        """Named alternate sections that map onto the book's own addresses (Yalkut Shimoni's parashot)."""
        named: dict[str, dict[str, Any]] = {}
        for node in nodes:
            whole = node["extraTids"] or ""
            if node["structNum"] == 1 or node["nodeType"] != 23 or not whole.startswith(title + " "):
                continue
            en, he_name = (node["enTitle"] or "").strip(), (node["heTitle"] or "").strip()
            if not en:
                continue
            names = [en]
            portion = self.parashot.get(name_key(en)) or self.parashot.get(name_key(he_name))
            he_names = [he_name] if he_name else []
            if portion:
                names += portion[0]
                he_names += portion[1]
            named[en] = {"ref": whole[len(title) + 1 :], "names": _clean(names), "he_names": _clean(he_names)}
        if named:
            self.alts[title] = {"named": list(named.values())}

    def current_alts(self) -> None:
        """Alternate structures from the newer schemas (Tikkunei Zohar: tikkunim and introductions)."""
        for path in sorted(self.current.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            title = data["title"]
            alt: dict[str, Any] = {"named": [], "numbered": []}
            for struct in (data.get("alts") or {}).values():
                for node in struct.get("nodes", []):
                    refs = [r[len(title) + 1 :] if r else "" for r in node.get("refs") or []]
                    names = [node["title"], *(t["text"] for t in node["titles"] if t["lang"] == "en")]
                    he_names = [t["text"] for t in node["titles"] if t["lang"] == "he"]
                    if refs:
                        alt["numbered"].append({"name": node["sectionNames"][0], "refs": refs})
                    else:
                        if node["title"].startswith("Introduction"):
                            names += ["Introduction", "Hakdamah"]
                            he_names += ["הקדמה"]
                        more, he_more = _section_names(node["title"], node.get("heTitle", ""))
                        names += more
                        he_names += he_more
                        alt["named"].append(
                            {
                                "ref": node["wholeRef"][len(title) + 1 :],
                                "names": _clean(names),
                                "he_names": _clean(he_names),
                            }
                        )
            if data.get("default_struct") and alt["numbered"]:
                alt["default"] = alt["numbered"][0]["name"]
            self.alts[title] = alt

    # ---- the whole
    def build(self) -> dict[str, Any]:
        rows = self.db.execute("select * from Books order by _id").fetchall()
        # Bases first: a commentary names the work it is on by id.
        order = sorted(rows, key=lambda r: (r["commentsOn"] is not None, r["_id"]))
        for row in order:
            self.book(row)
        self.current_alts()
        return self.finish()

    def refresh(self, generated: dict[str, Any]) -> dict[str, Any]:
        """Re-apply the rules that need no Sefaria database (the extra names above, numbered sections,
        the newer schemas' alternate structures) to a file this script generated before."""
        self.works = [
            dict({"translit": "", "aliases": [], "he_aliases": []}, **w) for w in generated["works"]
        ]
        self.groups = [dict({"aliases": [], "he_aliases": []}, **g) for g in generated["groups"]]
        self.alts = dict(generated["alts"])
        for entry in (*self.works, *self.groups):
            title = entry.get("title") or entry["name"]
            entry["aliases"] = _clean([*entry["aliases"], *EXTRA_ALIASES.get(title, [])])
            entry["he_aliases"] = _clean([*entry["he_aliases"], *EXTRA_HE_ALIASES.get(title, [])])
            if entry.get("group"):
                entry["part_names"] = _clean([*entry.get("part_names", ()), *EXTRA_PART_NAMES.get(title, [])])
                entry["he_part_names"] = _clean(
                    [*entry.get("he_part_names", ()), *EXTRA_HE_PART_NAMES.get(title, [])]
                )
        if self.current.is_dir():
            self.current_alts()
        data = self.finish()
        # the ambiguities of collective titles ('Rashi', 'Sforno') need the database's rows of curated
        # works: keep the ones the full build found
        index = data["index"]
        for key, found in generated["index"]["ambiguous"].items():
            if key not in index["base"]:
                index["ambiguous"][key] = found
        return data

    def finish(self) -> dict[str, Any]:
        number_parts(self.works, self.groups)
        self._resolve_names()
        index = self._index()
        return {
            "about": (
                "GENERATED by scripts/catalog_from_sefaria.py from Sefaria's public index data — do not edit; "
                "hand-curated entries go in catalog.json, which wins over this file."
            ),
            "generated": True,
            "sources": SOURCES,
            "licence": LICENCE,
            "categories": ["Targum", "Liturgy", "Responsa"],
            "works": self.works,
            "groups": self.groups,
            "alts": self.alts,
            "index": index,
        }

    def _base_names(self, title: str) -> tuple[list[str], list[str]]:
        work = self.cat._by_title.get(title)
        if work is not None:
            return [n for n in (work.title, work.translit, *work.aliases) if n], [
                n for n in (work.he_title, *work.he_aliases) if n
            ]
        raw = self.by_title[title]
        return [raw["title"], *raw["aliases"]], [raw["he"], *raw["he_aliases"]]

    def _index(self) -> dict[str, Any]:
        """Every generated name as its matching key, so that loading is dict building, not key making:
        `base` key → work position (a group is −1 − its position), the groups' part tables and the
        collective commentaries' families (prefix key + table of the base work's names)."""
        self.by_title = {w["title"]: w for w in self.works}
        taken = lambda key: key in self.taken or self.cat.exact(key) is not None  # noqa: E731
        base: dict[str, int] = {}
        most = 0

        def claim(name: str, position: int) -> None:
            nonlocal most
            key = name_key(name)
            if len(name.split()) > MOST_WORDS:
                return  # nobody writes a title that long in a citation
            if key and key not in base and not taken(key):
                base[key] = position
                most = max(most, len(name.split()))

        for i, work in enumerate(self.works):
            for name in (work["title"], work["he"], *work["aliases"], *work["he_aliases"]):
                claim(name, i)
        groups = []
        position = {w["title"]: i for i, w in enumerate(self.works)}
        for g, group in enumerate(self.groups):
            for name in (group["name"], group["he"], *group["aliases"], *group["he_aliases"]):
                claim(name, -1 - g)
            en: dict[str, int] = {}
            he: dict[str, int] = {}
            words = [0, 0]
            for work in self.works:
                if work.get("group") != group["name"]:
                    continue
                portion = self.parashot.get(name_key(work.get("parasha", ""))) or ([], [])
                for table, spelled, side in (
                    (en, [*work["part_names"], *portion[0]], 0),
                    (he, [*work["he_part_names"], *portion[1]], 1),
                ):
                    for name in spelled:
                        table.setdefault(name_key(name), position[work["title"]])
                        words[side] = max(words[side], len(name.split()))
            en_prefixes = [name_key(n) for n in (group["name"], *group["aliases"])]
            he_prefixes = [name_key(n) for n in (group["he"], *group["he_aliases"])]
            most = max(most, max(len(n.split()) for n in (group["name"], *group["aliases"])) + words[0])
            most = max(most, max(len(n.split()) for n in (group["he"], *group["he_aliases"])) + words[1])
            groups.append({"en": en_prefixes, "he": he_prefixes, "en_table": en, "he_table": he})
        families: list[dict[str, Any]] = []
        by_collective: dict[tuple[str, str], dict[str, Any]] = {}
        pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
        for work in self.works:
            if work.get("collective") and work.get("base"):
                pairs[(work["collective"], work["base"])].append(work["title"])
        for (coll, base_title), titles in sorted(pairs.items()):
            if len(titles) != 1 or (base_title not in self.by_title and base_title not in self.cat._by_title):
                continue  # two works of one author on one book: only their titles name them
            work = self.by_title[titles[0]]
            he_coll = work.get("he_collective", "")
            family = by_collective.get((coll, he_coll))
            if family is None:
                family = by_collective[(coll, he_coll)] = {
                    "en": [name_key(f.format(c=coll)) for f in EN_FORMS],
                    "he": [name_key(f.format(c=he_coll)) for f in HE_FORMS] if he_coll else [],
                    "en_names": [f.format(c=coll) for f in EN_FORMS],
                    "he_names": [f.format(c=he_coll) for f in HE_FORMS] if he_coll else [],
                    "works": [],
                }
                families.append(family)
            family["works"].append([position[work["title"]], base_title])
            en, he = self._base_names(base_title)
            most = max([most, *(len(coll.split()) + 1 + len(n.split()) for n in en)])
            most = max([most, *(len(he_coll.split()) + 1 + len(n.split()) for n in he)])
        ambiguous = {
            name_key(n): [n, titles] for n, titles in self.ambiguous.items() if not taken(name_key(n))
        }
        return {
            "base": base,
            "groups": groups,
            "families": families,
            "ambiguous": ambiguous,
            "max_words": most,
        }

    def _resolve_names(self) -> None:
        """Drop every generated name the curated catalog has or two generated works share; a shared one
        is an ambiguity the parser reports with its candidates."""
        owners: dict[str, set[str]] = defaultdict(set)
        spelled: dict[str, str] = {}
        group_of = {w["title"]: w.get("group") for w in self.works}

        def names(work: dict[str, Any]) -> list[str]:
            return [work["title"], work["he"], *work["aliases"], *work["he_aliases"]]

        for work in self.works:
            for name in names(work):
                owners[name_key(name)].add(work["title"])
                spelled.setdefault(name_key(name), name)
            coll = work.get("collective")
            if coll:  # 'Kli Yakar' alone: every Kli Yakar
                for name in (coll, work.get("he_collective", "")):
                    if name:
                        owners[name_key(name)].add(work["title"])
                        spelled.setdefault(name_key(name), name)
        for group in self.groups:
            for name in (group["name"], group["he"], *group["aliases"], *group["he_aliases"]):
                owners[name_key(name)].add(group["name"])
                spelled.setdefault(name_key(name), name)
        for name, titles in self.curated_collectives.items():
            owners[name_key(name)].update(titles)
            spelled.setdefault(name_key(name), name)
        shared = {
            k
            for k, titles in owners.items()
            if len({group_of.get(t) or t for t in titles} - {None}) > 1 or self.curated_has(spelled[k])
        }
        for work in self.works:
            work["aliases"] = [a for a in work["aliases"] if name_key(a) not in shared]
            work["he_aliases"] = [a for a in work["he_aliases"] if name_key(a) not in shared]
        for group in self.groups:
            group["aliases"] = [a for a in group["aliases"] if name_key(a) not in shared]
            group["he_aliases"] = [a for a in group["he_aliases"] if name_key(a) not in shared]
        # A work whose own title or Hebrew title is shared keeps it (titles are unique in Sefaria; a Hebrew
        # title two books share is left to the English one) — drop the Hebrew title's claim instead.
        self.ambiguous = {
            spelled[k]: sorted(owners[k])
            for k in sorted(shared)
            if not self.curated_has(spelled[k]) and len(owners[k]) > 1 and len(k) >= 2
        }


def _compact(work: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in work.items() if v not in ("", [], None) or k in ("title", "he", "kinds")}


def dump(data: dict[str, Any]) -> str:
    """Compact JSON (it is loaded by every process that reads a ref), one work or table per line."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)

    lines = ["{"]
    items = list(data.items())
    for n, (key, value) in enumerate(items):
        end = "," if n + 1 < len(items) else ""
        if key in ("works", "groups") and value:
            body = ",\n".join(one(_compact(v)) for v in value)
            lines.append(f"{one(key)}:[\n{body}\n]{end}")
        elif key == "index":
            body = ",\n".join(f"{one(k)}:{one(v)}" for k, v in value.items())
            lines.append(f"{one(key)}:{{\n{body}\n}}{end}")
        else:
            lines.append(f"{one(key)}:{one(value)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the local copy of Sefaria's index data")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="re-apply the extra names and section rules to the generated file (no Sefaria database needed)",
    )
    args = parser.parse_args(argv)
    if args.refresh:
        data = Builder(args.data).refresh(json.loads(args.out.read_text(encoding="utf-8")))
        args.out.write_text(dump(data), encoding="utf-8")
        print(f"refreshed {args.out} ({len(data['works'])} works)")
        return 0
    if not (args.data / DB_NAME).exists():
        print(f"no {DB_NAME} in {args.data}: see this script's docstring for how to get it", file=sys.stderr)
        return 1
    data = Builder(args.data).build()
    args.out.write_text(dump(data), encoding="utf-8")
    print(f"wrote {args.out} ({len(data['works'])} works, {len(data['groups'])} books of named sections)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
