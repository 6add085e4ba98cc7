"""A source sheet as a file: printable HTML (self-contained: its styles inside it, every link
absolute), PDF (WeasyPrint, which shapes Hebrew right to left), EPUB 3 (written with zipfile: the
format is a zip of XHTML and two small XML files), and JSON.

Links go to the reader at `base_url` when one is given (`https://study.example.org`), else to the
passage on Sefaria, so no exported link is ever relative (and broken once the file is moved).
"""

from __future__ import annotations

import html
import io
import sqlite3
import uuid
import zipfile
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from madrega import errors
from madrega.errors import MadregaError
from madrega.study.sheets import Item, Sheet, Source, resolve
from madrega.text.markup import plain_text, sanitize

__all__ = ["FORMATS", "MEDIA_TYPES", "export", "to_epub", "to_html", "to_json", "to_pdf"]

FORMATS = ("html", "pdf", "epub", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "epub": "application/epub+zip",
    "json": "application/json",
}

STYLE = """
body { font-family: Georgia, "Noto Serif", "DejaVu Serif", serif; color: #111; background: #fff;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
[lang="he"], .he { font-family: "madrega Hebrew", "Noto Serif Hebrew", "SBL Hebrew", "Taamey Frank CLM",
  "DejaVu Sans", serif; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.meta { color: #444; font-size: 0.9rem; margin-top: 0; }
.item { border-bottom: 1px solid #ccc; padding: 0.6rem 0; break-inside: avoid; page-break-inside: avoid; }
.text.heading { font-weight: bold; font-size: 1.15rem; }
.text.source, .note[lang="he"] { font-size: 1.25rem; }
.note { font-style: italic; background: #f6f3ea; padding: 0.4rem 0.7rem; border-radius: 4px; }
.source-item h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
.source-item h2 .he { font-weight: normal; margin-left: 0.6rem; }
table.rows { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.rows td { vertical-align: top; padding: 0.2rem 0.4rem; }
table.rows td.he { font-size: 1.2rem; line-height: 1.8; }
table.rows td { width: 50%; }
table.rows td[colspan] { width: 100%; }
.num { color: #555; font-size: 0.75rem; font-family: sans-serif; }
.missing, .cut { color: #555; font-size: 0.9rem; }
a { color: #1f4e8c; }
@page { size: A4; margin: 1.6cm; @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
"""


def _url(ref: str, base_url: str | None) -> str:
    if base_url:
        return base_url.rstrip("/") + "/read/" + quote(ref, safe="")
    from madrega import refs

    try:
        path = refs.parse(ref).url()
    except MadregaError:
        path = ref.replace(" ", "_").replace(":", ".")
    return "https://www.sefaria.org/" + quote(path, safe=".,_-")


def _lang_attrs(lang: str | None) -> str:
    return ' lang="he" dir="rtl"' if lang == "he" else ' lang="en" dir="ltr"'


def _markup(text: str | None) -> str:
    """Stored markup reduced to the sanitizer's allow-list, as XHTML (void tags closed)."""
    out = sanitize(text or "").text
    return out.replace("<br>", "<br/>").replace("&nbsp;", "&#160;")


def _source_html(source: Source, base_url: str | None) -> str:
    head = (
        f'<h2><a href="{html.escape(_url(source.ref, base_url))}">{html.escape(source.ref)}</a>'
        + (
            f'<span class="he" lang="he" dir="rtl">{html.escape(source.he_ref)}</span>'
            if source.he_ref
            else ""
        )
        + "</h2>"
    )
    if source.missing:
        return head + f'<p class="missing">{html.escape(source.missing)}</p>'
    rows = []
    two = any(he for _, he, _ in source.rows) and any(en for _, _, en in source.rows)
    for ref, he, en in source.rows:
        num = f'<span class="num">{html.escape(ref.rsplit(" ", 1)[-1])}</span> '
        cells = []
        only = "" if two else ' colspan="2"'
        if he is not None or two:
            cells.append(f'<td class="he" lang="he" dir="rtl"{only}>{num}{_markup(he)}</td>')
        if en is not None or two:
            cells.append(f'<td class="en" lang="en"{only}>{"" if he else num}{_markup(en)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cut = (
        '<p class="cut">(The passage goes on; the sheet shows its beginning.)</p>' if source.truncated else ""
    )
    return head + '<table class="rows">' + "".join(rows) + "</table>" + cut


def _item_html(conn: sqlite3.Connection, item: Item, base_url: str | None) -> str:
    if item.kind == "source":
        return f'<section class="item source-item">{_source_html(resolve(conn, item), base_url)}</section>'
    if item.kind == "note":
        return f'<div class="item note"{_lang_attrs(item.lang)}>{html.escape(item.text or "")}</div>'
    return f'<div class="item text {html.escape(item.role or "")}"{_lang_attrs(item.lang)}>{_markup(item.text)}</div>'


def body_html(conn: sqlite3.Connection, sheet: Sheet, *, base_url: str | None = None) -> str:
    """The sheet's content as XHTML (what every export is made of)."""
    info = sheet.info
    meta = f"Source sheet · {len(sheet.items)} items"
    if info.document:
        meta += f" · from the document {html.escape(info.document)}"
    parts = [f"<h1{_lang_attrs('he' if _is_he(info.title) else 'en')}>{html.escape(info.title)}</h1>"]
    parts.append(f'<p class="meta">{meta}</p>')
    parts.extend(_item_html(conn, item, base_url) for item in sheet.items)
    return "\n".join(parts)


def _is_he(text: str) -> bool:
    from madrega.text import hebrew

    return hebrew.is_hebrew(text)


def to_html(conn: sqlite3.Connection, sheet: Sheet, *, base_url: str | None = None) -> str:
    """A printable, self-contained page: styles inside it, links absolute."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f"<title>{html.escape(sheet.info.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body_html(conn, sheet, base_url=base_url)}\n</body>\n</html>\n"
    )


def to_pdf(conn: sqlite3.Connection, sheet: Sheet, *, base_url: str | None = None) -> bytes:
    """The printable page as PDF (WeasyPrint: Pango shapes the Hebrew, right to left)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango library it needs is missing
        raise MadregaError(
            f"PDF export needs WeasyPrint and the Pango library, which are not installed here ({exc})",
            remedy=errors.INSTALL_PDF,
        ) from exc
    page = to_html(conn, sheet, base_url=base_url).replace("</style>", _font_face() + "</style>", 1)
    data: bytes = HTML(string=page).write_pdf()
    return data


def _font_face() -> str:
    """The Hebrew font the reader serves (Noto Serif Hebrew, OFL), so a PDF draws every vowel point
    and accent whatever fonts the machine has."""
    try:
        import pylopdf_fonts_he
    except ImportError:  # the page's font list falls back to the machine's Hebrew fonts
        return ""
    from pathlib import Path

    return f'@font-face {{ font-family: "madrega Hebrew"; src: url("{Path(pylopdf_fonts_he.serif_path()).as_uri()}"); }}'


def to_json(conn: sqlite3.Connection, sheet: Sheet) -> dict[str, Any]:
    """The sheet with each source's passage as the library has it."""
    data = sheet.to_json()
    for item, out in zip(sheet.items, data["items"], strict=True):
        if item.kind == "source":
            out["passage"] = resolve(conn, item).to_json()
        elif item.kind == "text":
            out["plain"] = plain_text(item.text or "")
    return data


def to_epub(conn: sqlite3.Connection, sheet: Sheet, *, base_url: str | None = None) -> bytes:
    """An EPUB 3 book of one chapter (the sheet), with its table of contents."""
    title = html.escape(sheet.info.title)
    book_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'madrega-sheet:' + sheet.info.slug + sheet.info.updated_at)}"
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    chapter = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">\n'
        f'<head><meta charset="utf-8"/><title>{title}</title><link rel="stylesheet" href="style.css"/></head>\n'
        f"<body>\n{body_html(conn, sheet, base_url=base_url)}\n</body>\n</html>\n"
    )
    nav = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">\n'
        f'<head><meta charset="utf-8"/><title>{title}</title></head>\n'
        f'<body><nav epub:type="toc" id="toc"><h1>Contents</h1><ol><li><a href="sheet.xhtml">{title}</a></li></ol></nav></body>\n</html>\n'
    )
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="en">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="book-id">{book_id}</dc:identifier>\n<dc:title>{title}</dc:title>\n'
        "<dc:language>en</dc:language>\n<dc:language>he</dc:language>\n<dc:creator>madrega</dc:creator>\n"
        f'<meta property="dcterms:modified">{modified}</meta>\n</metadata>\n'
        "<manifest>\n"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
        '<item id="sheet" href="sheet.xhtml" media-type="application/xhtml+xml"/>\n'
        '<item id="style" href="style.css" media-type="text/css"/>\n'
        "</manifest>\n"
        '<spine><itemref idref="sheet"/></spine>\n</package>\n'
    )
    container = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
        "</container>\n"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # the mimetype comes first and is stored uncompressed, so a reader can sniff it at a fixed offset
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in (
            ("META-INF/container.xml", container),
            ("OEBPS/content.opf", opf),
            ("OEBPS/nav.xhtml", nav),
            ("OEBPS/sheet.xhtml", chapter),
            ("OEBPS/style.css", STYLE),
        ):
            z.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def export(conn: sqlite3.Connection, sheet: Sheet, fmt: str, *, base_url: str | None = None) -> bytes:
    """The sheet as `fmt` (html, pdf, epub or json), as bytes to write or send."""
    import json

    if fmt == "html":
        return to_html(conn, sheet, base_url=base_url).encode()
    if fmt == "pdf":
        return to_pdf(conn, sheet, base_url=base_url)
    if fmt == "epub":
        return to_epub(conn, sheet, base_url=base_url)
    if fmt == "json":
        return json.dumps(to_json(conn, sheet), ensure_ascii=False, indent=2).encode()
    raise MadregaError(f"unknown export format {fmt!r}", suggestions=list(FORMATS))
