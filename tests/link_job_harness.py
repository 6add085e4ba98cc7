"""`madrega library link` on a library whose last passage never finishes linking (run by
tests/test_link_job_signals.py in its own process): it prints `stored REF` each time the job stores
a passage, so the test knows when to ask it to stop."""

from __future__ import annotations

import sys
import threading
from typing import Any

from madrega.cli import main
from madrega.study.linker import bulk, queue
from madrega.study.linker.references import prepare_titles

STUCK = "Tractate Ours 2a:2"
_real_link = queue.link_library_batch
_real_store = queue._store_batch


def _link(batch: list[Any], db_path: str | None) -> Any:
    if any(item.source_ref == STUCK for item in batch):
        threading.Event().wait()  # a batch that takes for ever: the job must not wait for it to stop
    return _real_link(batch, db_path)


def _store(*args: Any, **kwargs: Any) -> Any:
    stored = _real_store(*args, **kwargs)
    for item in args[1]:  # the batch
        print("stored", item.source_ref, flush=True)
    return stored


if __name__ == "__main__":
    prepare_titles()  # once here, so the forked workers start with it (the job after `init` finds it cached)
    bulk.BATCH_WORDS = bulk.MIN_BATCH_WORDS = 1  # one passage per batch
    queue.link_library_batch = _link
    queue._store_batch = _store
    sys.argv = ["madrega", "library", "link", "--db", sys.argv[1], "--quiet", "--workers", "2"]
    main()
