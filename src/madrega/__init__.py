"""madrega — a Torah-study engine and a practice companion that share one library.

The Python face: `madrega.Library.open(path)` opens the library (read, link, search, import);
`madrega.link(text)` finds citations; `madrega.refs.parse` reads references;
`madrega.text.gematria.value` counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from madrega.api import Library as Library
    from madrega.study.linker import link as link

__all__ = ["Library", "__version__", "link"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import madrega` stays cheap for the CLI.
    if name == "link":
        from madrega.study.linker import link

        return link
    if name == "Library":
        from madrega.api import Library

        return Library
    raise AttributeError(f"module 'madrega' has no attribute {name!r}")
