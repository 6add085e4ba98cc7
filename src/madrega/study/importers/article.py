"""Articles: blog posts and essays, plain text or a saved HTML page.

A page saved from a blog carries its chrome ("top of page", share buttons, view counters, cookie
notices, "Recent Posts"); the reader wants only the prose. This module also owns the page reading
shared with the lesson importer: HTML or text in, `Block`s (paragraphs with their line) out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from madrega.errors import ImportFailed
from madrega.study.document import DocSegment, Document, Footnote, Role

# Footnote markers lifted from HTML (<sup>1</sup>) travel through the text between these two
# private-use characters, so they cannot be confused with a number the author wrote.
FN_OPEN, FN_CLOSE = "\ue000", "\ue001"


@dataclass
class Block:
    """One paragraph as the page shows it."""

    text: str
    line: int  # 1-based line in the input where it starts (HTML: line of the element, best effort)
    tag: str = "p"  # "p", "h1".."h6", "li", … ("p" for plain text)
    bold: bool = False  # the whole paragraph is bold (lesson pages set translations in bold)
    group: int = 0  # index of the <article> element holding it (several posts on one page)


# ---------------------------------------------------------------------------------------------
# Input checks and plain text


def check_input(text: str, source: str | None) -> None:
    """Refuse what no importer could read: nothing at all, or a binary file."""
    name = source or "<input>"
    if not text or not text.strip():
        raise ImportFailed(f"{name}: line 1: expected text (a lesson or an article), found an empty file")
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if "\x00" in sample or controls > max(8, len(sample) // 50):
        raise ImportFailed(
            f"{name}: line 1: expected text (UTF-8 prose or HTML), found binary data",
            suggestions=["export the page as HTML or plain text and import that file"],
        )


_HTML_TAG = re.compile(
    r"<\s*(?:!doctype|html|head|body|p|div|br|article|section|main|h[1-6]|span|table|ul|ol|li|b|strong|em|i)\b[^>]*>",
    re.IGNORECASE,
)


def is_html(text: str) -> bool:
    """An HTML page or fragment, as opposed to text that merely mentions a '<'."""
    return len(_HTML_TAG.findall(text[:200_000])) >= 2 or bool(re.match(r"\s*<(!doctype|html)", text, re.I))


_TERMINAL = tuple(".!?:;,”\"'’…)")


def _looks_hard_wrapped(lines: list[str]) -> bool:
    return all(len(ln) >= 40 and not ln.rstrip().endswith(_TERMINAL) for ln in lines[:-1])


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of a text file: blank-line separated (single lines when the file has no blank lines)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_blank = any(not ln.strip() for ln in lines[1:-1])
    blocks: list[Block] = []
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        if not chunk:
            return
        texts = [t for _, t in chunk]
        if len(chunk) > 1 and _looks_hard_wrapped(texts) and len({lang_of(t) for t in texts}) == 1:
            blocks.append(Block(" ".join(texts), chunk[0][0]))
        else:
            blocks.extend(Block(t, n) for n, t in chunk)
        chunk.clear()

    for number, raw in enumerate(lines, start=1):
        stripped = _squash(raw)
        if not stripped:
            flush()
            continue
        chunk.append((number, stripped))
        if not has_blank:
            flush()
    flush()
    return blocks


def _squash(s: str) -> str:
    return re.sub(r"[ \t\u00a0\u200b\ufeff]+", " ", s).strip()


# ---------------------------------------------------------------------------------------------
# Language


def lang_of(text: str) -> str:
    """ "he" when most letters are Hebrew, else "en"."""
    he = sum(1 for ch in text if "\u05d0" <= ch <= "\u05ea")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "he" if he > latin else "en"


# ---------------------------------------------------------------------------------------------
# HTML

_DROP_TAGS = (
    "script, style, noscript, template, iframe, svg, canvas, form, button, input, select, textarea, "
    "nav, aside, dialog, object, embed, video, audio, picture, img, figure, head"
)
_CHROME_ATTR = re.compile(
    r"(?:^|[-_\s])(share|sharing|social|sharedaddy|comments?|comment-respond|respond|cookies?|consent|gdpr|"
    r"banner|menu|navbar|navigation|nav|sidebar|widgets?|related|recent|subscribe|newsletter|breadcrumbs?|"
    r"site-footer|site-header|masthead|login|signup|popup|modal|top-?bar|advert|ads|promo|toolbar|pagination|"
    r"post-navigation|byline|entry-meta|post-meta|meta|author|tags|tag-links|cat-links|categories|"
    r"likes?|counters?|views|post-footer|skip-link|screen-reader-text|print|audio|video|player)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4",
        "h5", "h6", "td", "th", "tr", "table", "dd", "dt", "dl", "pre", "header", "footer", "center",
        "hr", "body", "html",
    }
)  # fmt: skip
_BOLD_TAGS = frozenset({"b", "strong"})


def _chrome_attr(node: LexborNode) -> bool:
    attrs = node.attributes
    values = " ".join(v for k, v in attrs.items() if k in ("class", "id", "role", "data-hook") and v)
    if not values:
        return False
    if (attrs.get("role") or "") in ("navigation", "banner", "contentinfo", "complementary", "dialog"):
        return True
    return bool(_CHROME_ATTR.search(values))


class _BlockWriter:
    """Walks the DOM, cutting paragraphs at block elements and line breaks."""

    def __init__(self, group: int) -> None:
        self.group = group
        self.blocks: list[Block] = []
        self.parts: list[tuple[str, bool]] = []
        self.tag = "p"
        self.line = 1

    def flush(self) -> None:
        pieces: list[list[tuple[str, bool]]] = [[]]
        for content, bold in self.parts:
            lines = content.split("\n")
            for i, line in enumerate(lines):
                if i:
                    pieces.append([])
                pieces[-1].append((line, bold))
        for piece in pieces:
            text = _squash("".join(t for t, _ in piece))
            if not text or not text.strip(FN_OPEN + FN_CLOSE + "0123456789* "):
                continue
            visible = sum(len(_VISIBLE.sub("", t)) for t, _ in piece)
            bold_chars = sum(len(_VISIBLE.sub("", t)) for t, b in piece if b)
            bold = visible > 0 and bold_chars >= 0.9 * visible
            self.blocks.append(Block(text, self.line, self.tag, bold, self.group))
        self.parts.clear()
        self.tag = "p"

    def walk(self, node: LexborNode, bold: bool = False) -> None:
        child = node.child
        while child is not None:
            self.visit(child, bold)
            child = child.next

    def visit(self, node: LexborNode, bold: bool) -> None:
        tag = node.tag or ""
        if tag == "-text":
            self.parts.append((node.text_content or "", bold))
            return
        if tag.startswith("-") or tag == "!doctype":
            return
        if tag == "br":
            self.parts.append(("\n", bold))
            return
        if tag == "sup":
            mark = _squash(node.text(deep=True))
            if re.fullmatch(r"\[?(\d{1,3}|\*{1,3}|[a-z†‡])\]?", mark):
                self.parts.append((FN_OPEN + mark.strip("[]") + FN_CLOSE, False))
                return
        if tag in _BLOCK_TAGS:
            self.flush()
            heading = tag[0] == "h" and tag[1:].isdigit()
            self.walk(node, bold or heading or _bold_class(node))
            if heading or tag == "li":
                self.tag = tag
            self.flush()
            return
        self.walk(node, bold or tag in _BOLD_TAGS or _bold_class(node))


_VISIBLE = re.compile(r"[\s\ue000\ue001]")


def _bold_class(node: LexborNode) -> bool:
    return "bold" in (node.attributes.get("class") or "").split()


def html_blocks(text: str) -> tuple[list[Block], dict[str, str]]:
    """Paragraphs of an HTML page without its chrome, and the page's meta (title, author, date)."""
    tree = LexborHTMLParser(text)
    meta: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and _squash(title.text()):
        meta["page_title"] = _squash(title.text())
    for sel, key in (
        ('meta[name="author"]', "author"),
        ('meta[property="article:published_time"]', "date"),
    ):
        node = tree.css_first(sel)
        if node is not None and node.attributes.get("content"):
            meta[key] = node.attributes.get("content") or ""
    for node in tree.css("time"):
        if "date" not in meta and _squash(node.text()):
            meta["date"] = node.attributes.get("datetime") or _squash(node.text())
    for node in tree.css('[class*="author"], [rel="author"]'):
        if "author" not in meta and 0 < len(_squash(node.text())) < 80:
            meta["author"] = _squash(node.text())
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    # The site's own header and footer go; an article's header holds its title and stays.
    for node in tree.css("header, footer"):
        if not _inside(node, ("article", "main")):
            node.decompose()
    for node in list(tree.css("[class], [id], [role], [data-hook]")):
        if node.tag not in ("body", "html", "article", "main") and _chrome_attr(node):
            node.decompose()

    articles = [a for a in tree.css("article") if not _inside(a, ("article",))]
    articles = [a for a in articles if len(_squash(a.text())) > 40]
    roots: list[LexborNode] = articles
    if not roots:
        main = tree.css_first("main") or tree.css_first('[role="main"]') or tree.body
        roots = [main] if main is not None else []
    blocks: list[Block] = []
    for group, root in enumerate(roots):
        writer = _BlockWriter(group)
        writer.walk(root)
        writer.flush()
        blocks.extend(writer.blocks)
    return blocks, meta


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def read_blocks(text: str) -> tuple[list[Block], dict[str, str], bool]:
    """Paragraphs of the input (HTML or text), the page meta, and whether it was HTML."""
    if is_html(text):
        blocks, meta = html_blocks(text)
        return blocks, meta, True
    return text_blocks(text), {}, False


# ---------------------------------------------------------------------------------------------
# Footnote markers


_ABBREVIATIONS = re.compile(
    r"(?:\b(?:ch|chap|p|pp|v|vv|vol|no|nos|fol|fols|sec|par|art|fig|ed|n)\.|[§#$€£¶])\s*$", re.IGNORECASE
)
_GLUED = re.compile(r"(?<=[A-Za-z\u05d0-\u05ea.,;!?)\]”’\"'…])(\d{1,3})(?!\d)(?![:.,]\d)")


def lift_footnotes(text: str) -> tuple[str, list[Footnote]]:
    """Remove footnote markers from a paragraph, keeping where each stood.

    A marker is a number the page set as superscript, or 1–3 digits glued to the end of a word or
    to closing punctuation (`mouth.”1`, `and7`) — never a number standing as a word ("ch. 46"),
    a decimal or thousands group, a verse ("8:7") or a code like "MP3".
    """
    out: list[str] = []
    notes: list[Footnote] = []
    pos = 0
    length = 0
    candidates: list[tuple[int, int, str]] = []
    for m in re.finditer(re.escape(FN_OPEN) + r"(.*?)" + re.escape(FN_CLOSE), text):
        candidates.append((m.start(), m.end(), m.group(1)))
    for m in _GLUED.finditer(text):
        if _glued_is_marker(text, m.start()):
            candidates.append((m.start(), m.end(), m.group(1)))
    candidates.sort()
    for start, end, marker in candidates:
        if start < pos:
            continue
        piece = text[pos:start]
        out.append(piece)
        length += len(piece)
        notes.append(Footnote(marker=marker, offset=length))
        pos = end
    out.append(text[pos:])
    clean = "".join(out).replace(FN_OPEN, "").replace(FN_CLOSE, "")
    stripped = clean.strip()
    lead = len(clean) - len(clean.lstrip())
    for note in notes:
        note.offset = max(0, min(len(stripped), note.offset - lead))
    return stripped, notes


def _glued_is_marker(text: str, start: int) -> bool:
    before = text[:start]
    prev = before[-1]
    if prev in ".,'\"" and len(before) >= 2 and before[-2].isdigit():
        return False  # 3.5, 1,000
    if _ABBREVIATIONS.search(before):
        return False
    word = re.search(r"([A-Za-z\u05d0-\u05ea]+)$", before)
    if word:
        letters = word.group(1)
        head = before[: -len(letters)]
        if letters.isupper() and len(letters) <= 5 and (not head or head[-1] in " \t\n(-/"):
            return False  # MP3, B12, COVID19
        if head.endswith(("-", "/")):
            return False  # mid-1990s style codes, URLs
    return not re.search(r"https?://\S*$|www\.\S*$", before)


# ---------------------------------------------------------------------------------------------
# Chrome


_CHROME_LINE = re.compile(
    r"""^(?:
        top\ of\ page | bottom\ of\ page | skip\ to\ (?:main\ )?content | back\ to\ top | scroll\ to\ top
      | \d[\d,.]*\s*[kK]?\s*views?(?:\s*\d[\d,.]*\s*comments?)? | \d+\s*comments? | no\ comments(?:\ yet)?
      | \d+\s*likes? | \d+\s*shares?
      | post\ not\ marked\ as\ liked\d* | post\ marked\ as\ liked\d* | like | liked | reply
      | log\ ?in(?:\s*[/|·]?\s*sign\ ?up)? | sign\ ?up(?:\s*[/|·]?\s*log\ ?in)? | sign\ ?(?:in|up) | log\ ?out | my\ account | menu | home | search
      | share(?:\ this(?:\ post|\ article)?)?:? | share\ on\ \w+ | copy\ link | link\ copied | print | email
      | facebook | twitter | x | linkedin | whatsapp | pinterest | telegram | reddit
      | all\ posts | see\ all | more\ posts | related\ posts | recent\ posts | popular\ posts
      | previous(?:\ post)? | next(?:\ post)? | older\ posts | newer\ posts | read\ more | continue\ reading
      | leave\ a\ (?:comment|reply) | write\ a\ comment | comments | subscribe | follow(?:\ us)?
      | accept(?:\ all)? | decline | reject(?:\ all)? | got\ it | ok | cookie\ settings | manage\ cookies
      | (?:this\ (?:web)?site|we)\ uses?\ cookies.* | by\ using\ this\ (?:web)?site.*cookies.*
      | printer\ friendly | download | audio | video | play | listen | font\ size.*
      | powered\ by\ .* | ©.* | copyright\ ©.* | all\ rights\ reserved\.?
      | writer'?s\ picture.* | \d+\s*min(?:ute)?s?\ read | updated:.*
      | tags?:.* | categor(?:y|ies):.* | filed\ under:?.* | posted\ in\ .*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"^(?:(?:posted|published|updated)\s+(?:on\s+)?)?(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})(?:\s+(?:by|·|•|\|)\s+.+)?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written\ by|author:)\s+[\w.'’ -]{2,60}$|^(?:posted|published)\s+by\s+.{2,60}$", re.I | re.X
)
_END_OF_CONTENT = re.compile(
    r"^(?:recent\ posts|related\ posts|more\ posts|popular\ posts|you\ might\ also\ like|leave\ a\ (?:comment|reply)|"
    r"\d+\s*comments?\s+on\ .+|comments\ are\ closed\.?|bottom\ of\ page)$",
    re.IGNORECASE | re.VERBOSE,
)
_POST_END = re.compile(
    r"^\d[\d,.]*\s*[kK]?\s*views?\s*\d*\s*(?:comments?)?$|^\d+\s*views?\d+\s*comments?$", re.I
)


_COOKIE = re.compile(r"\bcookies?\b.*\b(?:accept|agree|consent|continu|experience|privacy)", re.I)


def is_chrome(text: str) -> bool:
    t = text.strip()
    if len(t) <= 160 and _CHROME_LINE.match(t):
        return True
    return (
        len(t) <= 400
        and bool(_COOKIE.search(t))
        and bool(re.search(r"\b(?:we|this (?:web)?site) uses?\b", t, re.I))
    )


def is_byline(text: str) -> bool:
    t = text.strip()
    return bool(_DATE_LINE.match(t) or _BYLINE.match(t))


# ---------------------------------------------------------------------------------------------
# Headings


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "up",
        "via",
        "with",
        "vs",
        "is",
        "are",
        "be",
        "his",
        "her",
        "its",
        "our",
        "your",
        "my",
    ]
)


def is_title_case(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    capital = sum(1 for w in significant if w[0].isupper())
    return words[0][0].isupper() and capital >= 0.75 * len(significant)


def looks_like_heading(block: Block) -> bool:
    """A short title line: an HTML heading, or a short line in title case without sentence ending."""
    text = block.text.strip()
    if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return len(text) <= 200
    words = text.split()
    if not words or len(words) > 14 or len(text) > 110:
        return False
    if text.endswith((".", ",", ";", "…", "”", '"')) and not text.endswith(("...", "…")) and not block.bold:
        return False
    if text.endswith((",", ";")):
        return False
    if block.bold and len(words) <= 12 and not text.endswith("."):
        return True
    return is_title_case(text) and not text.endswith(".")


# ---------------------------------------------------------------------------------------------
# Articles


def parse_article(text: str, *, source: str | None = None) -> Document:
    """An article (or a page of several posts) as headings and body paragraphs, chrome removed."""
    check_input(text, source)
    blocks, page_meta, _html = read_blocks(text)
    meta: dict[str, object] = dict(page_meta)
    bylines: list[str] = []

    posts: list[list[Block]] = [[]]
    group = blocks[0].group if blocks else 0
    ended = False
    for block in blocks:
        body = block.text.strip()
        if block.group != group:
            group = block.group
            ended = False
            if posts[-1]:
                posts.append([])
        if ended:
            continue
        if _POST_END.match(body):
            if posts[-1]:
                posts.append([])
            continue
        if _END_OF_CONTENT.match(body):
            ended = True
            continue
        if is_chrome(body):
            continue
        if is_byline(body) and len(body) < 120:
            bylines.append(body)
            continue
        posts[-1].append(block)
    posts = [p for p in posts if any(not looks_like_heading(b) for b in p)]
    if not posts:
        raise ImportFailed(
            f"{source or '<input>'}: line 1: expected an article — paragraphs of prose — found only page chrome or titles",
        )

    doc = Document(title="", kind="article", source=source)
    for index, post in enumerate(posts):
        title = _post_title(post)
        doc.posts.append(title)
        if not looks_like_heading(post[0]):
            # The saved page lost this post's title: name the post by its opening words.
            doc.segments.append(DocSegment(role="heading", text=title, lang=lang_of(title), post=index))
            meta.setdefault("derived_titles", [])
            derived = meta["derived_titles"]
            assert isinstance(derived, list)
            derived.append(index)
        for block in post:
            clean, notes = lift_footnotes(block.text)
            if not clean:
                continue
            role: Role = "heading" if looks_like_heading(block) else "commentary"
            doc.segments.append(
                DocSegment(role=role, text=clean, lang=lang_of(clean), post=index, footnotes=notes)
            )
    if bylines:
        meta["bylines"] = bylines
    doc.title = (
        str(meta.get("page_title") or "") if len(posts) > 1 and meta.get("page_title") else doc.posts[0]
    )
    doc.meta = meta
    return doc


def _post_title(post: list[Block]) -> str:
    first = post[0]
    if looks_like_heading(first):
        return lift_footnotes(first.text)[0]
    sentence = re.split(r"(?<=[.!?])\s", lift_footnotes(first.text)[0], maxsplit=1)[0]
    words = sentence.split()
    if len(words) <= 12:
        return sentence.rstrip(".")
    return " ".join(words[:10]).rstrip(",;:—-") + "…"
