"""The `madrega` command. Each concept has its own module here that adds commands to `app`;
commands only parse arguments, call the core, and render — no logic lives in this face."""

from __future__ import annotations

import importlib

from madrega.cli.app import app, run

_COMMAND_MODULES = ("basics", "ref", "library", "sheet", "link", "search", "journal", "web", "community")


def _load() -> None:
    for name in _COMMAND_MODULES:
        module = f"madrega.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main() -> None:
    _load()
    run()


__all__ = ["app", "main"]
