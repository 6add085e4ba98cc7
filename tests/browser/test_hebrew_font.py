"""The Hebrew font the app serves draws Isaiah 51:1 with every vowel point and accent: no empty boxes,
on a machine that has no Hebrew font of its own. Screenshots, wide and phone, in tests/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

# Each distinct character of the verse is drawn alone on a canvas in the verse's own font stack and
# compared, pixel for pixel, with a private-use character that no font has: the box a missing glyph
# gets. A vowel point or accent must also take no room of its own after a letter (a mark, not a box).
MEASURE = """async () => {
  const el = document.querySelector("#s-51-1 p.he");
  const text = el.innerText;
  const family = getComputedStyle(el).fontFamily;
  const spec = `48px ${family}`;
  await document.fonts.load(spec, text);
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 120;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.font = spec;
  const pixels = (s) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillText(s, 40, 80);
    return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data).join(",");
  };
  const box = pixels("\\uE000");
  const chars = [...new Set([...text])].filter((c) => c.trim());
  const w = (s) => ctx.measureText(s).width;
  return {
    text,
    family,
    boxes: chars.filter((c) => pixels(c) === box).map((c) => c.codePointAt(0).toString(16)),
    advance: Object.fromEntries(chars.map((c) => [c, w("\\u05D0" + c) - w("\\u05D0")])),
    detector: pixels("\\uE001") === box && pixels("\\u05D0") !== box,
    checked: document.fonts.check(spec, text),
    face: [...document.fonts].filter((f) => f.family.replace(/"/g, "") === "madrega Hebrew").map((f) => f.status),
  };
}"""


def _measure(page: Any) -> dict[str, Any]:
    page.goto("/read/Isaiah%2051")
    page.wait_for_function("document.fonts.status === 'loaded'")
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def test_isaiah_51_1_draws_every_mark_in_the_served_font(page: Any) -> None:
    m = _measure(page)
    marks = [c for c in set(m["text"]) if 0x0591 <= ord(c) <= 0x05C7 and c != "\u05be" and c != "\u05c3"]
    assert len([c for c in marks if ord(c) <= 0x05AF]) >= 4, "the verse is shown with its accents"
    assert m["family"].startswith('"madrega Hebrew"')
    assert m["face"] == ["loaded"] and m["checked"] is True
    assert m["detector"], "a missing glyph is recognised for what it is"
    assert m["boxes"] == [], f"drawn as boxes: {m['boxes']}"
    wide = {f"U+{ord(c):04X}": round(m["advance"][c], 1) for c in marks if abs(m["advance"][c]) >= 1}
    assert not wide, f"marks that take room of their own: {wide}"


def test_the_font_is_served_from_the_installed_package(page: Any) -> None:
    response = page.request.get("/fonts/hebrew-serif.ttf")
    assert response.status == 200 and response.headers["content-type"] == "font/ttf"
    assert response.body()[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    assert "Open Font License" in response.headers["x-font-license"]


@pytest.mark.parametrize(("name", "width", "height"), [("wide", 1280, 900), ("phone", 390, 844)])
def test_reader_with_cantillation_screenshots(
    browser: Any, server: str, name: str, width: int, height: int
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto("/read/Isaiah%2051")
        page.wait_for_function("document.fonts.status === 'loaded'")
        assert page.evaluate("document.fonts.check('24px \"madrega Hebrew\"', 'שִׁמְע֥וּ')")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"reader-cantillation-{name}.png"))
        first = page.locator("#s-51-1 p.he").bounding_box()
        assert first is not None and first["width"] <= width
    finally:
        context.close()
