"""The structure a newcomer relies on: layers that only look down, and no import circles."""

from __future__ import annotations

import sys

import grimp
import pytest

# Circles that are being taken apart (each entry must still exist: the list shrinks, never grows).
KNOWN_CIRCLES: set[frozenset[str]] = {
    frozenset({"madrega.community.accounts", "madrega.community.groups"}),
    frozenset({"madrega.community.feed", "madrega.community.sync"}),
    frozenset({"madrega.community.api", "madrega.community.pages"}),
}


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


def test_no_new_import_circles(graph: grimp.ImportGraph) -> None:
    new = circles(graph) - KNOWN_CIRCLES
    assert not new, f"modules that import each other: {[sorted(c) for c in new]}"


def test_known_circles_list_is_true(graph: grimp.ImportGraph) -> None:
    gone = KNOWN_CIRCLES - circles(graph)
    assert not gone, f"these circles are gone: remove them from KNOWN_CIRCLES: {[sorted(c) for c in gone]}"


def test_the_finder_sees_a_circle() -> None:
    fake = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        fake.add_module(name)
    fake.add_import(importer="pkg.a", imported="pkg.b")
    fake.add_import(importer="pkg.b", imported="pkg.a")
    fake.add_import(importer="pkg.c", imported="pkg.a")
    assert circles(fake) == {frozenset({"pkg.a", "pkg.b"})}
