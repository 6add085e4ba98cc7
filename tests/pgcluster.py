"""A throwaway PostgreSQL cluster for tests and benches: `initdb` + `pg_ctl` in a temporary directory.

PostgreSQL refuses to run as root, and tests here and in CI run as root: the cluster then runs as
an unprivileged system user (`madrega-pg`, created if missing) that owns the temporary directory.
It listens on 127.0.0.1 at a free port and keeps its unix socket in the temporary directory.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from madrega.errors import MadregaError

SERVICE_USER = "madrega-pg"
START_LIMIT = 300  # seconds pg_ctl waits for the server to start or stop (its own default is 60)


def find_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL server binaries (`/usr/lib/postgresql/N/bin`), or any on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVICE_USER)


class PgCluster:
    def __init__(self, bin_dir: Path | None = None) -> None:
        found = bin_dir or find_bin_dir()
        if found is None:
            raise MadregaError(
                "PostgreSQL server binaries not found",
                suggestions=["apt-get install postgresql (or `make postgres`)"],
            )
        self.bin_dir = found
        self.root = Path(tempfile.mkdtemp(prefix="madrega-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._started = False
        self._as_root = os.geteuid() == 0
        self._user: pwd.struct_passwd | None = None
        if self._as_root:
            self._user = _ensure_service_user()
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        os.chmod(self.root, 0o700)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._user is not None:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, cwd=self.root)

    def init(self) -> PgCluster:
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            raise MadregaError(f"initdb failed: {exc.stderr.strip()}") from exc
        return self

    def start(self) -> None:
        """Start the server and wait until it accepts connections (a generous limit: a loaded machine
        is slow to start one). The port was free when chosen, but another program may take it before
        the server binds it: the first start then moves to another port (a restart keeps its own, the
        one its clients know)."""
        for _attempt in range(5):
            result = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options(),
                "-w", "-t", str(START_LIMIT), "start", check=False,
            )  # fmt: skip
            if result.returncode == 0:
                self._started = True
                return
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            if self._started or "could not bind" not in log:
                break
            self.log.unlink()
            self.port = free_port()
        raise MadregaError(f"PostgreSQL did not start: {result.stderr.strip()}\n{log[-2000:]}")

    def _options(self) -> str:
        return " ".join(
            [
                f"-p {self.port}",
                f"-k {self.root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
                "-c shared_buffers=64MB",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(START_LIMIT), "stop", check=False
        )

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def create_schema(self, name: str) -> str:
        """A fresh schema and a URL whose connections use it: per-test isolation in milliseconds."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url}?options=-csearch_path%3D{name}"
