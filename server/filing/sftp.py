"""SF2900's file transfer: the filing's zip put on Serviceplatformen's SFTP service before
FordelingsobjektAfsend names it in DokumentFilNavn (issue 22).

KOMBIT's published material found for this work says that SF2900 takes large documents
through Serviceplatformen's SFTP file transfer and that the file is named in the call; it
does not say (in what could be read) when the file must be there. Decided here: the file is
there, whole, *before* the call, so the Fordelingskomponent never sees a name whose file
is missing or half written (docs/deploying.md, "Filing in the case system").

- **paramiko** makes the SSH connection: key-based (FILING_SFTP_KEY_FILE, the key whose
  public half KOMBIT registered for the user FILING_SFTP_USER), and the server's host key
  pinned (FILING_SFTP_HOST_KEY): any other key is refused, there is no trust on first use.
- **Whole or not at all**: the file is written under a temporary name and renamed into
  place (posix-rename, which replaces), so a reader of the folder sees the whole file or
  none; a broken upload leaves only the temporary name, which the next attempt overwrites.
- **Idempotent**: the name is the filing's (its id is in it), so the same filing sent again
  writes the same file again: one file, never a second.
- Any failure (no connection, a refused key, a write or rename refused) raises NotFiled,
  which names no person; the filing job tries again.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
from dataclasses import dataclass
from typing import Any

import paramiko

from server.filing.exporters import NotFiled

REFUSED = "sftp: the server's host key is not the pinned one (FILING_SFTP_HOST_KEY)"
TIMEOUT = 10  # seconds, for the connection, the SSH banner, authentication and each read


@dataclass(frozen=True)
class SftpTarget:
    host: str
    port: int
    user: str
    key_file: str
    folder: str
    host_key: str  # "<type> <base64>", as in known_hosts

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SftpTarget:
        return cls(
            host=str(config["FILING_SFTP_HOST"]),
            port=int(config["FILING_SFTP_PORT"]),
            user=str(config["FILING_SFTP_USER"]),
            key_file=str(config["FILING_SFTP_KEY_FILE"]),
            folder=str(config["FILING_SFTP_FOLDER"]),
            host_key=str(config["FILING_SFTP_HOST_KEY"]),
        )


def pinned_key(line: str) -> paramiko.PKey:
    """The host key from FILING_SFTP_HOST_KEY ("ssh-ed25519 AAAA…", a known_hosts line's key
    part; a leading host name is allowed); ValueError if it is not one."""
    fields = line.split()
    if len(fields) == 3:  # "host type key", as ssh-keyscan prints it
        fields = fields[1:]
    if len(fields) != 2:
        raise ValueError("is not '<key type> <base64 key>'")
    try:
        return paramiko.PKey.from_type_string(fields[0], base64.b64decode(fields[1]))
    except (binascii.Error, paramiko.SSHException, ValueError) as exc:
        raise ValueError(f"is not a host key ({type(exc).__name__})") from exc


def upload(target: SftpTarget, name: str, data: bytes) -> None:
    """Put ``data`` at ``<folder>/<name>`` on the SFTP server, whole; NotFiled if not."""
    client = paramiko.SSHClient()
    key = pinned_key(target.host_key)
    known = target.host if target.port == 22 else f"[{target.host}]:{target.port}"
    client.get_host_keys().add(known, key.get_name(), key)
    # Only the pinned key: a key of another type is "missing" to paramiko, and refused.
    client.set_missing_host_key_policy(_Refuse())
    final = posixpath.join(target.folder, name)
    partial = posixpath.join(target.folder, f".{name}.part")
    try:
        client.connect(
            target.host,
            port=target.port,
            username=target.user,
            pkey=paramiko.PKey.from_path(target.key_file),
            look_for_keys=False,
            allow_agent=False,
            timeout=TIMEOUT,
            banner_timeout=TIMEOUT,
            auth_timeout=TIMEOUT,
        )
        sftp = client.open_sftp()
        channel = sftp.get_channel()
        if channel is not None:
            channel.settimeout(TIMEOUT)
        with sftp.open(partial, "wb") as remote:
            remote.set_pipelined(True)
            remote.write(data)
        if sftp.stat(partial).st_size != len(data):
            raise NotFiled("sftp: the upload is not whole")
        sftp.posix_rename(partial, final)
    except paramiko.BadHostKeyException as exc:  # a key of the pinned one's type, not it
        raise NotFiled(REFUSED) from exc
    except paramiko.SSHException as exc:
        raise NotFiled(f"sftp: {_short(exc)}") from exc
    except (OSError, EOFError) as exc:  # a timeout is an OSError
        raise NotFiled(f"sftp: no transfer ({type(exc).__name__})") from exc
    finally:
        client.close()


class _Refuse(paramiko.MissingHostKeyPolicy):
    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        raise NotFiled(REFUSED)


def _short(exc: Exception) -> str:
    # paramiko's messages name hosts and key types, never the file's content.
    return f"{type(exc).__name__}: {exc}"[:200]
