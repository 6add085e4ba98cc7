"""What the search index derives from a segment's plain text: its word keys, plene keys and vocabulary ids.

A corpus import derives ~4M words of ~170k rows. In this process that is about half of the import's
indexing time, so a big import hands the derivation to a second process (`Deriver`) and only writes
here: the two halves then run side by side, the other process a few chunks ahead of the writes (and of
the import's own reading of the next works). Both give the same rows and the same vocabulary
ids, in the same order: the ids follow first sight whichever process derives.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from madrega.study.search.text import HEBREW_WORD, bare, derive_keys_many

#: (scope, lang, plain) of one row: what the derivation reads of it.
RowText = tuple[int, str, str]

_LATIN = re.compile("[A-Za-z]")


class Vocab:
    """The form → id map, extended as new forms appear, and each word token's (key, plene key, id),
    derived once (a corpus import indexes hundreds of versions and must not derive a word again)."""

    def __init__(self, ids: dict[str, int]) -> None:
        self.ids = ids
        self.next_id = max(ids.values(), default=0) + 1
        self.new: list[tuple[int, str, str]] = []  # (id, form, key) not stored yet
        # each word token's key, plene key and vocab id (0: no letters to value)
        self.keys: dict[str, str] = {}
        self.plene: dict[str, str] = {}
        self.word_ids: dict[str, int] = {}
        self.bare: dict[str, tuple[str, str, int]] = {}  # the same, by bare form

    def id_of(self, form: str, key: str) -> int:
        found = self.ids.get(form)
        if found is None:
            found = self.ids[form] = self.next_id
            self.next_id += 1
            self.new.append((found, form, key))
        return found

    def learn(self, rows_words: list[list[str]]) -> None:
        """Derive what is not known yet of the words of these rows, in order (vocab ids follow first
        sight). Called once for many rows: the new words are found by set difference in C, and only
        they are walked in Python (a corpus import sees ~4M words, ~370k distinct)."""
        unknown = set().union(*rows_words).difference(self.keys)
        if not unknown:
            return
        ordered = [w for w in dict.fromkeys(chain.from_iterable(rows_words)) if w in unknown]
        bares = dict(zip(ordered, map(bare, ordered), strict=True))
        new_bares = [b for b in dict.fromkeys(bares.values()) if b not in self.bare]
        for plain, (key, plene_key, form) in zip(new_bares, derive_keys_many(new_bares), strict=True):
            self.bare[plain] = (key, plene_key, self.id_of(form, key) if form else 0)
        for word in ordered:
            self.keys[word], self.plene[word], self.word_ids[word] = self.bare[bares[word]]


@dataclass
class Derived:
    """A chunk's rows as the index stores them, and what they add to the vocabulary."""

    fts: list[tuple[str, str, str]] = field(default_factory=list)  # (he, hp, en) per row
    tokens: list[bytes] = field(default_factory=list)  # the row's vocab ids, uint32 little-endian
    scope_ids: dict[int, array[int]] = field(default_factory=dict)  # every id a scope's rows hold
    new_vocab: list[tuple[int, str, str]] = field(default_factory=list)


def derive(vocab: Vocab, rows: Sequence[RowText]) -> Derived:
    """Key, plene key and vocab ids of every row's Hebrew words (C-level maps over the words; Python
    only for words never seen before)."""
    out = Derived()
    key_of, plene_of, id_of = vocab.keys.__getitem__, vocab.plene.__getitem__, vocab.word_ids.__getitem__
    findall = HEBREW_WORD.findall
    latin = _LATIN.search
    swap = sys.byteorder != "little"
    rows_words = [findall(plain) for _, _, plain in rows]
    vocab.learn(rows_words)
    fts, tokens, scope_ids = out.fts, out.tokens, out.scope_ids
    for (scope, lang, plain), words in zip(rows, rows_words, strict=True):
        keys = list(map(key_of, words))
        plene = list(map(plene_of, words))
        if "" in keys:
            plene = [p for k, p in zip(keys, plene, strict=True) if k]
            keys = [k for k in keys if k]
        ids = array("I", map(id_of, words))
        if 0 in ids:
            ids = array("I", [i for i in ids if i])
        if ids:
            held = scope_ids.get(scope)
            if held is None:
                held = scope_ids[scope] = array("I")
            held.extend(ids)
            if swap:
                ids.byteswap()
        fts.append((" ".join(keys), " ".join(plene), plain if lang != "he" or latin(plain) else ""))
        tokens.append(ids.tobytes())
    out.new_vocab, vocab.new = vocab.new, []
    return out


class DeriverFailed(Exception):
    """The second process stopped answering (killed, out of memory): derive here instead."""


class Deriver:
    """A second process deriving rows with its own copy of the vocabulary (see the module's doc)."""

    def __init__(self, ids: dict[str, int]) -> None:
        context = multiprocessing.get_context("spawn")
        self._tasks: Any = context.Queue()
        # Answers come through a pipe whose writing end only the second process holds: if it dies,
        # even halfway through an answer, reading ends (EOFError) instead of waiting for ever.
        self._answers, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve, args=(ids, self._tasks, writer), name="madrega-search-derive", daemon=True
        )
        self._process.start()
        writer.close()

    def send(self, rows: Sequence[RowText]) -> None:
        self._tasks.put(list(rows))

    def receive(self) -> Derived:
        """The derivation of the oldest chunk sent and not received yet."""
        try:
            message = self._answers.recv()
        except (EOFError, OSError):
            raise DeriverFailed("the search index's second process stopped") from None
        if isinstance(message, BaseException):
            raise DeriverFailed(f"the search index's second process failed: {message}")
        fts, tokens, scope_bytes, new_vocab = message
        scope_ids = {}
        for scope, raw in scope_bytes.items():
            ids = array("I")
            ids.frombytes(raw)
            scope_ids[scope] = ids
        return Derived(fts, tokens, scope_ids, new_vocab)

    def close(self) -> None:
        if self._process.is_alive():
            self._tasks.put(None)
            self._process.join(timeout=5)
        stopped = self._process.exitcode == 0
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        if not stopped:  # nobody reads what is still queued for it: do not wait to flush it
            self._tasks.cancel_join_thread()
        self._tasks.close()
        self._answers.close()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()


def _serve(ids: dict[str, int], tasks: Any, answers: Any) -> None:
    """The second process: derive each chunk it is given, until told to stop (None)."""
    vocab = Vocab(ids)
    while (chunk := tasks.get()) is not None:
        try:
            d = derive(vocab, chunk)
        except MemoryError as exc:  # handed to the parent, which derives the chunk itself
            answers.send(exc)
            return
        answers.send((d.fts, d.tokens, {s: a.tobytes() for s, a in d.scope_ids.items()}, d.new_vocab))
