"""Server-rendered pages: they work without JavaScript, say what went wrong, and are accessible."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import web_library
from madrega.text import hebrew
from madrega.web import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = web_library.build(tmp_path_factory.mktemp("webpages") / "lib.sqlite")
    with TestClient(create_app(path), raise_server_exceptions=False, base_url="http://127.0.0.1") as c:
        yield c


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def labelled_inputs_ok(html: str) -> None:
    """Every visible input and textarea has a <label for=...> naming it."""
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit|radio|checkbox)"', tag):
            continue
        m = re.search(r'id="([^"]+)"', tag)
        assert m and m.group(1) in labels, f"unlabelled control: {tag}"


def test_home_has_the_four_doors_and_is_accessible(client: TestClient) -> None:
    r = client.get("/")
    html = r.text
    assert r.status_code == 200
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html
    assert 'action="/search"' in html and 'action="/gematria"' in html and 'action="/link"' in html
    assert "Rock and quarry" in html  # recent documents
    labelled_inputs_ok(html)


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'self' covers it
    assert r.headers["x-content-type-options"] == "nosniff"


def test_unknown_page_is_a_helpful_404(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "Traceback" not in r.text
    assert 'href="/library"' in main_of(r.text)


def test_documents_page_lists_and_links(client: TestClient) -> None:
    html = client.get("/documents").text
    assert 'href="/documents/rock-and-quarry"' in html
    assert 'href="/documents/import"' in html


def test_document_page_shows_pairs_source_beside_translation(client: TestClient) -> None:
    html = main_of(client.get("/documents/rock-and-quarry").text)
    pair = html[html.index('<section class="pair">') :]
    source = pair.index('class="source" lang="he" dir="rtl"')
    translation = pair.index('class="translation" lang="en"')
    commentary = pair.index('class="commentary"')
    assert source < translation < commentary
    assert "הַבִּיטוּ אֶל צוּר חֻצַּבְתֶּם" in pair
    assert "<b>bold</b>" in pair  # allowed inline marks survive sanitizing
    assert 'data-ref="Isaiah 51:2"' in pair  # the citation in the commentary is a link
    assert 'href="/read/Isaiah%2051%3A1"' in pair  # the aligned source links to the reader


def test_missing_document_page_suggests(client: TestClient) -> None:
    r = client.get("/documents/rock-and-quary")
    assert r.status_code == 404
    assert "rock-and-quarry" in main_of(r.text)


def test_import_form_is_labelled(client: TestClient) -> None:
    html = client.get("/documents/import").text
    assert 'enctype="multipart/form-data"' in html
    labelled_inputs_ok(html)


def test_import_by_form_redirects_to_the_document(client: TestClient) -> None:
    files = {"file": ("looking.txt", web_library.LESSON_TEXT.encode(), "text/plain")}
    r = client.post("/documents/import", files=files, data={"kind": "auto"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert page.status_code == 200
    assert main_of(page.text).count('<section class="pair">') >= 2
    assert "שִׁמְעוּ אֵלַי רֹדְפֵי צֶדֶק" in page.text


def test_bad_upload_by_form_is_a_clear_page(client: TestClient) -> None:
    r = client.post("/documents/import", files={"file": ("scan.pdf", b"%PDF-1.4", "application/pdf")})
    assert r.status_code == 415
    assert "text/html" in r.headers["content-type"]
    assert "scan.pdf" in main_of(r.text)
    assert "plain text or HTML" in r.text


def test_journal_form_records_and_progress_shows_the_building(client: TestClient) -> None:
    html = client.get("/journal").text
    labelled_inputs_ok(html)
    r = client.post("/journal", data={"kind": "prayer", "note": "by the window"}, follow_redirects=False)
    assert r.status_code == 303
    assert "by the window" in client.get("/journal").text
    progress = main_of(client.get("/progress").text)
    assert "<svg" in progress and re.search(r'class="k-prayer[abc]" data-step=', progress)
    assert client.get("/today").status_code == 200
    assert client.get("/plans").status_code == 200


def test_library_lists_works_by_category_and_chapters(client: TestClient) -> None:
    html = main_of(client.get("/library").text)
    assert "<h2" in html and "Tanakh" in html and 'href="/library/Isaiah"' in html
    work = main_of(client.get("/library/Isaiah").text)
    assert 'href="/read/Isaiah%2051"' in work


def test_reader_shows_hebrew_beside_english(client: TestClient) -> None:
    client.cookies.clear()  # a reader's own settings (another test's toggles) aside: the defaults
    html = main_of(client.get("/read/Isaiah%2051").text)
    row = html[html.index('id="s-51-1"') :]
    row = row[: row.index("</div>")]
    assert 'class="he" lang="he" dir="rtl"' in row and 'class="en" lang="en"' in row
    assert hebrew.has_niqqud(row) and hebrew.has_cantillation(row)  # full marks by default
    assert "chase after what is right" in row
    assert 'rel="prev" href="/read/Isaiah%2050"' in html and 'rel="next" href="/read/Isaiah%2052"' in html


@pytest.mark.parametrize(
    ("query", "niqqud", "cantillation"),
    [("niqqud=0", False, False), ("cantillation=0", True, False), ("niqqud=1&cantillation=1", True, True)],
)
def test_reader_marks_toggle_on_the_server(
    client: TestClient, query: str, niqqud: bool, cantillation: bool
) -> None:
    client.cookies.clear()  # the settings an earlier address named are kept: start from none
    html = main_of(client.get(f"/read/Isaiah%2051?{query}").text)
    verse = html[html.index('id="s-51-1"') :]
    verse = verse[: verse.index("</p>")]
    assert "שמעו" in hebrew.strip_marks(verse)
    assert hebrew.has_niqqud(verse) is niqqud
    assert hebrew.has_cantillation(verse) is cantillation


def test_reader_toggle_links_work_without_js(client: TestClient) -> None:
    client.cookies.clear()
    html = client.get("/read/Isaiah%2051").text
    assert 'href="/read/Isaiah%2051?niqqud=0" data-toggle="niqqud"' in html
    off = client.get("/read/Isaiah%2051?niqqud=0").text
    assert 'href="/read/Isaiah%2051?niqqud=1" data-toggle="niqqud" aria-pressed="false">Show niqqud' in off


def test_bad_ref_page_suggests_links(client: TestClient) -> None:
    r = client.get("/read/Isaxiahq%2051")
    assert r.status_code in (400, 404)
    assert "Traceback" not in r.text
    assert 'href="/read/Isaiah"' in main_of(r.text)


def test_search_page_links_hits_to_the_reader(client: TestClient) -> None:
    html = main_of(client.get("/search", params={"q": "צור חצבתם"}).text)
    assert 'href="/read/Isaiah%2051%3A1"' in html and "<mark>" in html
    assert 'lang="he" dir="rtl"' in html


def test_empty_search_is_helpful(client: TestClient) -> None:
    r = client.get("/search", params={"q": "qqzzxx", "lang": "en"})
    assert r.status_code == 200
    html = main_of(r.text)
    assert "Nothing found" in html and "remove the filters" in html


def test_gematria_page_shows_value_and_library_words(client: TestClient) -> None:
    html = main_of(client.get("/gematria", params={"q": "שלום", "work": "Isaiah"}).text)
    assert 'class="value">376<' in html
    assert 'href="/read/Isaiah%209%3A5"' in html or 'href="/read/Isaiah%2026%3A3"' in html
    labelled_inputs_ok(html)


def test_link_page_annotates_and_downloads(client: TestClient) -> None:
    text = "Comfort comes, says Isaiah 51:3."
    html = main_of(client.post("/link", data={"text": text}).text)
    assert 'data-ref="Isaiah 51:3"' in html
    assert "For the Lord comforts Zion" in html  # the cited source under the text
    as_json = client.post("/link", data={"text": text, "download": "json"})
    assert "attachment" in as_json.headers["content-disposition"]
    assert as_json.json()["citations"][0]["ref"] == "Isaiah 51:3"
    as_html = client.post("/link", data={"text": text, "download": "html"})
    assert as_html.headers["content-disposition"].endswith('filename="linked.html"')
    assert 'data-ref="Isaiah 51:3"' in as_html.text


def test_link_page_says_where_the_quoted_words_disagree_with_the_reference(client: TestClient) -> None:
    text = 'שנאמר (שמות כ, ו): "לא תשא את שם ה\' אלהיך לשוא"'
    page = main_of(client.post("/link", data={"text": text}).text)
    assert (
        '<p class="cite-note">Exodus 20:6 is written, but the words quoted beside it are Exodus 20:7' in page
    )
    assert 'data-ref="Exodus 20:7"' in page


def test_link_page_by_upload_refuses_binary(client: TestClient) -> None:
    r = client.post("/link", files={"file": ("x.bin", b"\x00\x01", "application/octet-stream")})
    assert r.status_code == 415


def test_a_server_compiles_its_pages_before_it_answers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`madrega serve` compiles every page template before it prints its address: after that, no page
    (home, reader, search, a 404) waits for Jinja's compiler."""
    from madrega.web import render

    assert render.compile_templates() == len(list(render.TEMPLATES_DIR.glob("*.html")))

    def no_compiling(*args: object, **kw: object) -> None:
        raise AssertionError(f"a page compiled a template: {args[1:2]}")

    monkeypatch.setattr(render.templates.env, "compile", no_compiling)
    for path in ("/", "/read/Genesis%201", "/search?q=%D7%90%D7%A8%D7%A5", "/no/such/page"):
        r = client.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert "a page compiled" not in r.text
