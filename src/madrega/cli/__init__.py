"""The `madrega` command. Each concept has its own module here that adds commands to `app`;
commands only parse arguments, call the core, and render — no logic lives in this face.

Starting is cheap: `madrega ref …` imports the one module that registers `ref` (and what `ref` needs),
not every command's. `madrega --help` lists every command from `COMMANDS` without importing any of
them (tests/test_cli_start.py keeps that table equal to what the modules register).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_COMMAND_MODULES = ("basics", "ref", "library", "sheet", "link", "search", "journal", "web", "community")

#: Every top-level command: the module that registers it and its help line as `madrega --help` shows it.
COMMANDS: dict[str, tuple[str, str]] = {
    "gematria": (
        "basics",
        "The gematria of a word or phrase under every method (or one, with --method); a number lists the\nwords and phrases in the library with that value.",
    ),
    "numeral": (
        "basics",
        "Hebrew numerals both ways: a number gives its letters, letters give their number.",
    ),
    "ref": (
        "ref",
        "Read each reference and print its canonical ref (English, Hebrew, URL) or what is wrong with it.",
    ),
    "read": ("library", "Read a passage: Hebrew beside the translation, footnotes and sources under it."),
    "link": (
        "link",
        "Find written references, and quotations of the library's sources (Hebrew, or English translations), in a text.",
    ),
    "search": (
        "search",
        "Search every text in the library, Hebrew (prefix-aware, niqqud-blind) and English (stemmed).",
    ),
    "today": (
        "journal",
        "The Hebrew date, the day's portion of every cycle you keep (done or not, and what to read),\nthe days to catch up, the reviews due in your plans, and what you have done today.",
    ),
    "progress": (
        "journal",
        "What you have built: totals, heatmap, strength and your stage (nothing ever resets).",
    ),
    "serve": (
        "web",
        "Serve the library in your browser: reader, documents, linker, search, gematria, and a JSON API.",
    ),
    "demo": ("web", "Build the embedded library if it is missing, then serve it (what `make demo` runs)."),
    "login": (
        "community",
        "Log in to a community server so `madrega sync` can push and pull this journal's steps.",
    ),
    "logout": (
        "community",
        "Log this computer out: the server revokes its token, and it is forgotten here (your steps stay).",
    ),
    "sync": (
        "community",
        "Push this journal's new events to your server account and pull what your other devices pushed.",
    ),
    "library": ("library", "The library: the embedded corpus, Sefaria texts and your imports."),
    "sheet": ("sheet", "Source sheets: your text, and under each citation the passage it cites."),
    "step": ("journal", "Record a step (study, prayer, hitbodedut, kindness, tzedakah, mitzvah, …)."),
    "skip": (
        "journal",
        "Days you could not practise (illness, travel): they freeze your strength, as Shabbat does.",
    ),
    "hitbodedut": ("journal", "A hitbodedut timer that records the session however it ends."),
    "plan": ("journal", "Personal study plans divided into daily portions."),
    "journal": ("journal", "The journal's log: export, import, backup, check."),
    "config": ("journal", "Where you keep the Hebrew day: location, time zone, nightfall hour, Israel."),
    "cycles": ("journal", "The daily study cycles: which you keep, and marking a day's portion done."),
}


def _import(name: str) -> None:
    """Import a command module named in `COMMANDS`: a missing one is a bug, raised (never skipped, which
    would leave its commands as stand-ins that cannot run)."""
    importlib.import_module(f"madrega.cli.{name}")


def _load(names: list[str] | None = None) -> None:
    """Register the commands of these modules (all of them by default)."""
    for name in names if names is not None else _COMMAND_MODULES:
        _import(name)


def _command_of(argv: list[str]) -> str | None:
    """The command a command line asks for (the first word that is not an option), if it names one."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _register_listing(loaded: tuple[str, ...] = ()) -> None:
    """Stand-ins for the commands of the modules not loaded, so the top-level help lists every command
    (and a misspelled one finds its suggestion) without importing them."""
    from madrega.cli.app import app

    for name, (module, help_line) in COMMANDS.items():
        if module not in loaded:
            app.command(name, help=help_line, add_help_option=False)(_not_loaded)


def table_source() -> str:
    """`COMMANDS` as the modules register it, as Python source (to paste here when a command or its
    help line changes: `python -c "from madrega import cli; print(cli.table_source())"`)."""
    import typer.main

    from madrega.cli.app import app

    _load()
    group = typer.main.get_group(app)
    module_of: dict[str, str] = {}
    for info in app.registered_groups:  # a group's module: where its subcommands are defined
        sub = info.typer_instance
        callbacks = [c.callback for c in (sub.registered_commands if sub else []) if c.callback]
        if info.name and callbacks:
            module_of[info.name] = callbacks[0].__module__.rsplit(".", 1)[-1]
    for name, command in group.commands.items():
        if name in module_of:
            continue
        callback = getattr(command, "callback", None)
        module = getattr(callback, "__module__", "") or ""
        module_of[name] = (
            module.rsplit(".", 1)[-1] if module.startswith("madrega.cli.") else COMMANDS.get(name, ("",))[0]
        )
    lines = ["COMMANDS: dict[str, tuple[str, str]] = {"]
    for name, command in group.commands.items():
        help_line = (command.help or "").split("\n\n")[0].strip()
        lines.append(f"    {name!r}: ({module_of[name]!r}, {help_line!r}),")
    return "\n".join([*lines, "}"])


def _not_loaded() -> None:  # pragma: no cover - the real command is loaded before it can run
    raise RuntimeError("a command's stand-in ran")


def main() -> None:
    if sys.argv[1:2] == ["ref"] and not any(a.startswith("-") for a in sys.argv[2:]):  # no option
        from madrega.cli import plain

        if plain.ref(sys.argv[2:]):  # printed as Rich would, without importing typer or Rich
            return
    if sys.argv[1:2] == ["link"] and len(sys.argv) == 3:  # `madrega link FILE`: no option
        from madrega.cli import linktext

        if linktext.plain(sys.argv[2]):  # printed by the same Rich console, without importing typer
            return
    if sys.argv[1:] == ["--help"]:
        from madrega.cli import helpcache

        if helpcache.print_cached():  # the listing as typer drew it before, for this same setting
            return
    from madrega.cli.app import run

    command = _command_of(sys.argv[1:])
    if any(a in ("--install-completion", "--show-completion") for a in sys.argv[1:]):
        _load()
    elif command is not None:
        module = COMMANDS[command][0]
        _register_listing(loaded=(module,))
        _load([module])
    elif sys.argv[1:] == ["--help"]:
        _register_listing()
        with helpcache.recording():  # kept for the next `--help` of this same setting
            run()
        return
    else:
        _register_listing()  # no command, or a misspelled one: the listing and suggestions
    run()


class _Cli(types.ModuleType):
    """This package, whose `app` and `run` are the typer app's (`madrega.cli.app`), imported when first
    asked for: `main` reaches `madrega ref`'s plain output without importing typer."""

    @property
    def app(self) -> Any:
        from madrega.cli.app import app

        return app

    @app.setter
    def app(self, value: Any) -> None:
        pass  # the import system names the submodule `madrega.cli.app` here: `app` stays the typer app

    @property
    def run(self) -> Any:
        from madrega.cli.app import run

        return run


sys.modules[__name__].__class__ = _Cli

__all__ = ["COMMANDS", "app", "main"]
