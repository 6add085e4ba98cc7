"""What the benches share: the `madrega` command as a process, building the library they measure, a
free port, and stopping a server they started. Imported as `_common` (a bench runs as
`python bench/NAME.py`, so this directory is on its path)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# `madrega ARGS` as a user runs it: a whole process, its name as the help and errors show it.
MADREGA = [sys.executable, "-c", "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main; main()"]


def library_init(db: Path, env: Mapping[str, str] | None = None) -> None:
    """`madrega library init` into `db` (the library as a user has it, without its connections)."""
    print("building the library (library init)…", flush=True)
    subprocess.run(
        [*MADREGA, "library", "init", "--db", str(db), "--json", "--no-link"],
        env=dict(env) if env is not None else dict(os.environ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    """A loopback port free at this moment (for a server that cannot be given port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """End a server the bench started: asked first, killed if it does not go within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
