"""The shared typer app and the helpers every command module uses (JSON output, errors, db)."""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import sqlite3
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import typer
from rich.console import Console
from rich.markup import escape

from madrega import errors
from madrega.errors import MadregaError

# typer.rich_utils draws the help and the usage errors. At its top it imports rich.markdown (markdown-it)
# and rich.traceback (rich.syntax, pygments): two thirds of its import, ~30 ms of every `madrega --help`,
# for what this app never shows: its help is Rich markup (`rich_markup_mode="rich"`, not "markdown")
# and its pretty tracebacks are off. So while typer.rich_utils is imported, wherever from, those two
# modules are stand-ins whose names (`Markdown`, `Traceback`) import the real module the first time
# they are used; after it, the stand-ins are gone, and an `import rich.markdown` anywhere gets Rich's.
_DEFERRED_IN_HELP = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


class _Deferred(type):
    """A stand-in class: calling it or reading an attribute imports the real module and uses its class."""

    _module: str

    def _real(cls) -> Any:
        return getattr(importlib.import_module(cls._module), cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._real(), name)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._real())


def _real_attribute(module: str, stand_in: types.ModuleType) -> Callable[[str], Any]:
    def get(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(module) is stand_in:  # asked while typer.rich_utils is imported: the real one
            del sys.modules[module]
        return getattr(importlib.import_module(module), name)

    return get


class _LightHelpLoader:  # not importlib.abc.Loader: importlib.abc imports importlib.resources (~10 ms)
    """typer.rich_utils's own loader, run with `_DEFERRED_IN_HELP`'s stand-ins in sys.modules."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        placed: dict[str, types.ModuleType] = {}
        for name, attrs in _DEFERRED_IN_HELP.items():
            if name in sys.modules:
                continue  # already imported for real: typer gets the real one
            stand_in = types.ModuleType(name, "stand-in while typer.rich_utils is imported (madrega.cli.app)")
            for attr in attrs:
                setattr(stand_in, attr, _Deferred(attr, (), {"_module": name}))
            # any other name a newer typer imports from it is the real module's (imported then)
            stand_in.__getattr__ = _real_attribute(name, stand_in)  # type: ignore[method-assign]
            placed[name] = sys.modules[name] = stand_in
        try:
            self.loader.exec_module(module)
        finally:
            for name, stand_in in placed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


class _LightHelpFinder:
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("importlib.machinery.SourceFileLoader", _LightHelpLoader(spec.loader))
        return spec


if "typer.rich_utils" not in sys.modules and not any(isinstance(f, _LightHelpFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _LightHelpFinder())

app = typer.Typer(
    name="madrega",
    help="madrega — study Torah with its sources, and climb from stage to stage.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

console = Console(emoji=False)  # `:name:` in what a person wrote stays text
err_console = Console(stderr=True, emoji=False)

DB_OPTION_HELP = "SQLite file to use (default: $MADREGA_DB or madrega.sqlite in your data directory)."


def open_db(db: Path | None) -> sqlite3.Connection:
    from madrega import api

    return api.connect(db)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, suggestions: list[str] | None = None, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    for s in suggestions or []:
        err_console.print(f"  did you mean: {escape(s)}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def step_bars(labels: dict[str, str]) -> Iterator[Callable[[str, int, int], None]]:
    """A bar per step of a long job (`progress(step, done, total)`), each with its own rate and time
    left; a step's bar appears when it starts. Off a terminal, one line per step instead."""
    if not console.is_terminal:
        started: set[str] = set()

        def plain(step: str, done: int, total: int) -> None:
            if step not in started:
                started.add(step)
                console.print(f"{labels.get(step, step)}…", highlight=False)

        yield plain
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskID,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[amount]:>10}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(step: str, done: int, total: int) -> None:
            task = tasks.get(step)
            amount = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if step == "import" else ""
            if task is None:
                task = tasks[step] = bar.add_task(labels.get(step, step), total=max(total, 1), amount=amount)
            bar.update(task, completed=done, total=max(total, 1), amount=amount)

        yield update


@contextmanager
def count_bar(label: str, *, show: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    """One long job's bar of done / total, as the core's `progress(done, total)` callback (None when
    nothing is shown: JSON output, a background job)."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


# What the CLI says for each remedy a core error names (see madrega.errors).
HINTS = {
    errors.INIT_LIBRARY: "run `madrega library init` to build the library",
    errors.FETCH: "`madrega library fetch {subject!r}` gets it from Sefaria",
    errors.LIST_DOCUMENTS: "`madrega library list` shows the imported documents",
    errors.OFFLINE: "without the network, `madrega library import-export DIR` imports works from a copy "
    "of Sefaria's export kept on this computer",
    errors.RESUME_FETCH: "run `madrega library fetch {subject!r}` again to go on",
    errors.LIST_STEPS: "`madrega step list` shows the steps and their ids",
    errors.LIST_PLANS: "`madrega plan list` shows the plans and their ids",
    errors.START_TIMER: "start one with `madrega hitbodedut start`",
    errors.STOP_TIMER: "stop it with `madrega hitbodedut stop`",
    errors.LOOK_ONLINE: "`madrega today --online` asks Sefaria's calendar",
    errors.INSTALL_PDF: "install them: `pip install 'madrega[pdf]'` (in madrega's venv: "
    "`.venv/bin/pip install -e '.[pdf]'`), and on Debian `apt install libpango-1.0-0 libpangoft2-1.0-0`",
}


def hint(exc: MadregaError) -> str | None:
    """The CLI's words for what the user can do about `exc`, if anything."""
    template = HINTS.get(exc.remedy or "")
    if template is None or ("{subject" in template and not exc.subject):
        return None
    return template.format(subject=exc.subject)


def _undecodable_argument(argv: list[str]) -> str | None:
    """An argument that was not UTF-8 (Python hands its bytes over as lone surrogates), shown readably."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return None


def run() -> None:
    """Run the app, turning user mistakes into a message and exit code 1 (never a traceback)."""
    bad = _undecodable_argument(sys.argv[1:])
    if bad is not None:
        err_console.print(
            f"[bold red]error:[/] the argument {escape(repr(bad))} is not UTF-8 text: check the terminal's encoding",
            highlight=False,
        )
        sys.exit(1)
    try:
        app()
    except MadregaError as exc:
        # The message may quote what the user typed: `[…]` in it is text, not Rich markup.
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
        for s in exc.suggestions:
            err_console.print(f"  did you mean: {escape(s)}", highlight=False)
        advice = hint(exc)
        if advice:
            err_console.print(f"  {escape(advice)}", highlight=False)
        sys.exit(1)
