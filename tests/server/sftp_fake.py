"""A local SFTP server on 127.0.0.1 over real SSH, standing in for Serviceplatformen's SFTP
file transfer: paramiko's server side (``ServerInterface`` + ``SFTPServerInterface``)
serving one tmp folder.

It takes one user with one public key (key-based, as Serviceplatformen's), and has its own
host key (``host_key_line``: what FILING_SFTP_HOST_KEY pins). It serves what the exporter
uses: stat, open for writing, rename over an existing name (posix-rename@openssh.com),
remove and list. ``down()`` refuses connections, as a service that is away;
``renames_fail`` breaks a transfer after its bytes are written.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK

USER = "trivsel-sftp"


def _status(exc: OSError) -> int:
    return SFTP_NO_SUCH_FILE if isinstance(exc, FileNotFoundError) else SFTP_FAILURE


class _Handle(paramiko.SFTPHandle):
    # paramiko's SFTPHandle reads and writes through these two attributes when they are set.
    readfile: Any
    writefile: Any

    def stat(self) -> Any:
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.writefile.fileno()))
        except OSError as exc:
            return _status(exc)


class _Folder(paramiko.SFTPServerInterface):
    """The tmp folder as the SFTP root: a path is always inside it."""

    def __init__(self, server: Any, fake: FakeSftp, *args: Any, **kwargs: Any) -> None:
        super().__init__(server, *args, **kwargs)
        self.fake = fake
        self.root = fake.root

    def _real(self, path: str) -> Path:
        inside = Path(self.root, self.canonicalize(path).lstrip("/")).resolve()
        if not inside.is_relative_to(self.root.resolve()):
            raise PermissionError(path)
        return inside

    def list_folder(self, path: str) -> Any:
        try:
            folder = self._real(path)
            return [
                paramiko.SFTPAttributes.from_stat(os.stat(folder / name), name)
                for name in os.listdir(folder)
            ]
        except OSError as exc:
            return _status(exc)

    def stat(self, path: str) -> Any:
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
        except OSError as exc:
            return _status(exc)

    lstat = stat

    def open(self, path: str, flags: int, attr: Any) -> Any:
        try:
            fd = os.open(self._real(path), flags | getattr(os, "O_BINARY", 0), 0o600)
            handle = _Handle(flags)
            mode = "r+b" if flags & os.O_RDWR else ("wb" if flags & os.O_WRONLY else "rb")
            handle.writefile = handle.readfile = os.fdopen(fd, mode)
            return handle
        except OSError as exc:
            return _status(exc)

    def remove(self, path: str) -> int:
        try:
            os.remove(self._real(path))
        except OSError as exc:
            return _status(exc)
        return SFTP_OK

    def rename(self, oldpath: str, newpath: str) -> int:
        # SFTP's plain rename refuses an existing target (as OpenSSH's does).
        if self._real(newpath).exists():
            return SFTP_FAILURE
        return self.posix_rename(oldpath, newpath)

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        if self.fake.renames_fail:
            return SFTP_FAILURE
        try:
            os.replace(self._real(oldpath), self._real(newpath))
        except OSError as exc:
            return _status(exc)
        return SFTP_OK


class _Keys(paramiko.ServerInterface):
    def __init__(self, allowed: paramiko.PKey) -> None:
        self.allowed = allowed

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if username == USER and key == self.allowed:
            return AUTH_SUCCESSFUL
        return AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return OPEN_SUCCEEDED
        return OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


@dataclass
class FakeSftp:
    root: Path
    port: int
    host_key: paramiko.PKey
    client_key_file: Path
    folder: str = "upload"
    connections: int = 0
    refusing: bool = False
    renames_fail: bool = False  # the transfer breaks after the bytes are written
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def host_key_line(self) -> str:
        """The host key as FILING_SFTP_HOST_KEY takes it (a known_hosts line's key part)."""
        return f"{self.host_key.get_name()} {self.host_key.get_base64()}"

    @property
    def inbox(self) -> Path:
        return self.root / self.folder

    def files(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.inbox.iterdir())}

    def settings(self) -> dict[str, str]:
        return {
            "FILING_SFTP_HOST": "127.0.0.1",
            "FILING_SFTP_PORT": str(self.port),
            "FILING_SFTP_USER": USER,
            "FILING_SFTP_KEY_FILE": str(self.client_key_file),
            "FILING_SFTP_FOLDER": self.folder,
            "FILING_SFTP_HOST_KEY": self.host_key_line,
        }

    def down(self, refusing: bool = True) -> None:
        """Close every new connection at once (the service is away)."""
        self.refusing = refusing


def _serve(fake: FakeSftp, listener: socket.socket, allowed: paramiko.PKey) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return  # the listener was closed: the block ended
        if fake.refusing:
            conn.close()
            continue
        fake.connections += 1
        transport = paramiko.Transport(conn)
        transport.add_server_key(fake.host_key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Folder, fake)
        try:
            transport.start_server(server=_Keys(allowed))
        except (paramiko.SSHException, EOFError, OSError):
            transport.close()


@contextmanager
def sftp_server(tmp: Path) -> Iterator[FakeSftp]:
    """The fake, listening on a free loopback port until the block ends, with the client's
    key written to ``tmp``."""
    client_key = paramiko.ECDSAKey.generate()  # paramiko generates no Ed25519 key
    key_file = tmp / "sftp_client_key"
    client_key.write_private_key_file(str(key_file))
    root = tmp / "sftp_root"
    (root / "upload").mkdir(parents=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    fake = FakeSftp(root, listener.getsockname()[1], paramiko.ECDSAKey.generate(), key_file)
    allowed = paramiko.PKey.from_path(key_file)
    thread = threading.Thread(target=_serve, args=(fake, listener, allowed), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept
        listener.close()
        thread.join(timeout=5)
