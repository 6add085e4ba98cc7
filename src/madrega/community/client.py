"""The laptop's side of sync: an HTTP client for a community server, and where its login is kept.

The API token is a password-equivalent, so it is kept out of the journal database: that file is
copied, backed up and attached to bug reports, and SQLite creates it world-readable. Tokens live in
`credentials.json` in the user's config directory (`$MADREGA_CONFIG_DIR` overrides it), written
with mode 0600 in a 0700 directory, keyed by server and user name. The journal only records which
account it syncs with (`sync.server`, `sync.user`): the sync cursor belongs to that account, so
linking the journal to another one starts its sync from the beginning.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import platformdirs

from madrega.errors import MadregaError

API = "/api/community"
TIMEOUT = 15.0


class ServerError(MadregaError):
    """The server could not be reached, refused us, or failed: the message says which and what to do."""


# ---------------------------------------------------------------- addresses and credentials


def normalize_server(url: str) -> str:
    """`http://host:8000/community/` → `http://host:8000`: the address the API paths hang off."""
    clean = url.strip().rstrip("/")
    if not clean.startswith(("https://", "http://")):
        raise MadregaError(
            f"'{url}' is not a server address: give it with https:// (or http:// on your own network)",
            suggestions=[f"https://{clean}", f"http://{clean}"],
        )
    for suffix in (API, "/community"):
        clean = clean.removesuffix(suffix)
    return clean.rstrip("/")


def config_dir() -> Path:
    env = os.environ.get("MADREGA_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir("madrega"))


def credentials_path() -> Path:
    return config_dir() / "credentials.json"


def _read_credentials() -> dict[str, dict[str, str]]:
    path = credentials_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise MadregaError(f"cannot read {path} ({exc}): remove it and log in again") from exc
    servers = data.get("servers") if isinstance(data, dict) else None
    return servers if isinstance(servers, dict) else {}


def _write_credentials(servers: dict[str, dict[str, str]]) -> None:
    """Replace the file atomically; it is created 0600, never readable by other users even briefly."""
    path = credentials_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"servers": servers}, out, indent=2, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def save_login(conn: sqlite3.Connection, server: str, user: str, token: str) -> bool:
    """Keep the token and link the journal to `user` at `server`; True when that restarted its sync."""
    from madrega.practice import journal

    servers = _read_credentials()
    servers.setdefault(server, {})[user] = token
    _write_credentials(servers)
    linked = (journal.get_setting(conn, "sync.server"), journal.get_setting(conn, "sync.user"))
    if linked == (server, user):
        return False
    journal.put_setting(conn, "sync.server", server)
    journal.put_setting(conn, "sync.user", user)
    # The cursor and the pushed mark count another account's events: start over (the server dedupes).
    journal.put_setting(conn, "sync.cursor", None)
    journal.put_setting(conn, "sync.pushed_through", None)
    return linked != (None, None)


def linked_account(conn: sqlite3.Connection) -> tuple[str, str] | None:
    from madrega.practice import journal

    server, user = journal.get_setting(conn, "sync.server"), journal.get_setting(conn, "sync.user")
    return (server, user) if server and user else None


def forget_login(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """Drop this journal's token from the credentials file; the journal keeps its sync position."""
    account = linked_account(conn)
    if account is None:
        return None
    server, user = account
    servers = _read_credentials()
    if user in servers.get(server, {}):
        del servers[server][user]
        if not servers[server]:
            del servers[server]
        _write_credentials(servers)
    return account


def remote_for(conn: sqlite3.Connection, *, transport: httpx.BaseTransport | None = None) -> CommunityClient:
    """The client for the account this journal syncs with, or a clear error saying how to log in."""
    account = linked_account(conn)
    if account is None:
        raise MadregaError("this journal is not connected to a server: run `madrega login SERVER_URL`")
    server, user = account
    token = _read_credentials().get(server, {}).get(user)
    if not token:
        raise MadregaError(f"you are not logged in to {server}: run `madrega login {server} --user {user}`")
    return CommunityClient(server, token, user=user, transport=transport)


# ---------------------------------------------------------------- the HTTP client


class CommunityClient:
    """The community API as a laptop uses it: a token for a password, then push and pull (a `Remote`)."""

    def __init__(
        self,
        server: str,
        token: str | None = None,
        *,
        user: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.server = normalize_server(server)
        self.user = user
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.server, headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CommunityClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request_token(self, user: str, password: str, label: str = "cli") -> str:
        answer = self._call("POST", "/token", json={"name": user, "password": password, "label": label[:80]})
        token = answer.get("token")
        if not isinstance(token, str):
            raise ServerError(f"{self.server} answered without a token: is it a madrega community server?")
        return token

    def revoke(self) -> None:
        """The server forgets this client's token (it stops working everywhere at once)."""
        response = self._send("POST", "/logout")
        if response.status_code in (204, 401):  # 401: already revoked, or reset by the admin
            return
        raise self._refusal(response, "/logout", self._json(response))

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call("POST", "/sync/push", json={"events": events})

    def pull(self, since: int) -> dict[str, Any]:
        answer = self._call("GET", "/sync/pull", params={"since": since})
        if not isinstance(answer.get("events"), list) or not isinstance(answer.get("cursor"), int):
            raise ServerError(f"{self.server} answered a pull without events and a cursor: is it madrega?")
        return answer

    def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        response = self._send(method, path, **kw)
        body = self._json(response)
        if response.is_success and isinstance(body, dict):
            return body
        raise self._refusal(response, path, body)

    def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        try:
            return self.http.request(method, API + path, **kw)
        except httpx.TimeoutException as exc:
            raise ServerError(f"{self.server} did not answer in time: try again later") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ServerError(
                f"cannot reach {self.server} ({type(exc).__name__}): is the address right and the server up?"
            ) from exc

    def _json(self, response: httpx.Response) -> Any:
        if response.status_code == 204:
            return None
        try:
            return response.json()
        except ValueError:
            if response.is_success:
                raise ServerError(
                    f"{self.server} did not answer like a madrega community server "
                    "(is the address right, and was it started with --database?)"
                ) from None
            return None

    def _refusal(self, response: httpx.Response, path: str, body: Any) -> ServerError:
        status = response.status_code
        said = body.get("error") if isinstance(body, dict) else None
        if status == 401 and path != "/token":
            who = f" --user {self.user}" if self.user else ""
            return ServerError(
                f"{self.server} no longer accepts this computer's login — {said or 'the token was refused'}; "
                f"run `madrega login {self.server}{who}`"
            )
        if status == 404 and said is None:
            return ServerError(
                f"{self.server} has no community API (404): was it started with `madrega serve --database …`?"
            )
        if status >= 500:
            return ServerError(
                f"{self.server} failed ({status}{': ' + said if said else ''}): try again in a moment"
            )
        return ServerError(f"{self.server} refused ({status}): {said or response.reason_phrase}")
