"""`madrega --help` printed from the cache, when its output is plain text: the listing without typer.

Rendering the listing costs typer, its click and Rich's panels (half a cold `--help`), and the result
is a function of a few things only: the code that draws it (this package's command table and app,
typer's and Rich's files), the program's name, the console's width and the settings Rich and typer read
from the environment. So the first `madrega --help` into a pipe or a file (what a script, a pager or
`grep` meets) records what typer printed, in `help-<digest>.txt` under the cache directory
(`$MADREGA_CACHE_DIR`, else the user's cache), and a later one with the same digest prints that file.
The digest covers every one of those inputs (typer's and Rich's files by name, size and change time,
so an upgrade of either is another digest); anything else takes the ordinary path: a terminal (styles),
forced colours, shell completion, a stream that is not UTF-8. Plain text, never code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Settings of the environment that Rich or typer read, or may (a name with any of these beginnings).
_SETTINGS = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TTY_",
    "TYPER",
    "_TYPER",
    "RICH",
    "JUPYTER",
    "LANG",
    "LC_",
)
_HERE = Path(__file__).resolve().parent


def _package_files(name: str) -> list[Any]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return [name, None]
    found: list[Any] = [name]
    for root in spec.submodule_search_locations:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                if file.endswith(".py"):
                    st = os.stat(os.path.join(folder, file))
                    found.append(
                        [os.path.relpath(os.path.join(folder, file), root), st.st_size, st.st_mtime_ns]
                    )
    return found


def _path(argv0: str, environ: Mapping[str, str]) -> Path | None:
    """The cache file of the listing drawn for this program name, console width and environment."""
    from madrega.cli import plain

    digest = hashlib.blake2b(digest_size=12)
    try:
        for source in ("__init__.py", "app.py", "helpcache.py"):
            digest.update((_HERE / source).read_bytes())
    except OSError:
        return None  # installed without sources: the ordinary path
    settings = sorted((k, v) for k, v in environ.items() if k.startswith(_SETTINGS))
    key = [
        Path(argv0).name,
        plain.console_width(environ),
        settings,
        _package_files("typer"),
        _package_files("rich"),
    ]
    digest.update(json.dumps(key, ensure_ascii=False).encode("utf-8", "surrogateescape"))
    cache = environ.get("MADREGA_CACHE_DIR")
    if cache:
        folder = Path(cache).expanduser()
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("madrega"))
    return folder / f"help-{digest.hexdigest()}.txt"


def _usable(environ: Mapping[str, str]) -> bool:
    from madrega.cli import plain

    if any(name.endswith("_COMPLETE") for name in environ):
        return False  # a shell asking for completions
    return plain.output_mode(environ) == "plain"


def print_cached() -> bool:
    """Print the recorded listing and say True; False when there is none for this setting."""
    environ = os.environ
    if not _usable(environ):
        return False
    path = _path(sys.argv[0], environ)
    if path is None:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    head, _, body = data.partition(b"\n")
    if head != _header(body):
        return False  # not a whole listing: damaged or cut short (files are written whole, then renamed)
    sys.stdout.write(body.decode("utf-8"))
    sys.stdout.flush()
    return True


class _Recorder:
    """Standard output that keeps a copy of what is written."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        written = int(self._stream.write(text))  # click probes with bytes: refused here as there
        self.parts.append(text)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def recording() -> Iterator[None]:
    """Run the ordinary `madrega --help` and keep what it printed, if it ended well."""
    environ = os.environ
    path = _path(sys.argv[0], environ) if _usable(environ) else None
    if path is None:
        yield
        return
    stream = sys.stdout
    recorder = _Recorder(stream)
    sys.stdout = recorder
    ended_well = False
    try:
        yield
        ended_well = True
    except SystemExit as exc:
        ended_well = exc.code in (None, 0)
        raise
    finally:
        if sys.stdout is recorder:
            sys.stdout = stream
        text = "".join(recorder.parts)
        if ended_well and text.endswith("\n"):
            _save(path, text)


def _header(body: bytes) -> bytes:
    """A listing file's first line: its format, and the size and CRC-32 of the listing after it."""
    import zlib

    return f"madrega-help 1 {len(body)} {zlib.crc32(body):08x}".encode()


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = text.encode("utf-8")
        temporary.write_bytes(_header(body) + b"\n" + body)
        os.replace(temporary, path)
        for old in path.parent.glob("help-*.txt"):  # listings of other settings stay; a few at most
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 30 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)
