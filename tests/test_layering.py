"""The structure a newcomer relies on: layers that only look down, and no import circles."""

from __future__ import annotations

import sys

import grimp
import pytest


def circles(graph: grimp.ImportGraph) -> set[frozenset[str]]:
    """Strongly connected groups of modules (Tarjan), imports inside functions included."""
    adjacency = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in adjacency[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(adjacency):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("madrega")


def test_no_import_circles(graph: grimp.ImportGraph) -> None:
    found = circles(graph)
    assert not found, f"modules that import each other: {[sorted(c) for c in found]}"


def test_the_finder_sees_a_circle() -> None:
    fake = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        fake.add_module(name)
    fake.add_import(importer="pkg.a", imported="pkg.b")
    fake.add_import(importer="pkg.b", imported="pkg.a")
    fake.add_import(importer="pkg.c", imported="pkg.a")
    assert circles(fake) == {frozenset({"pkg.a", "pkg.b"})}
