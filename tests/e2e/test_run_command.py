"""The README's first command brings up the app with demo data and printed logins."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from tests.harness import ROOT, free_port, sign_in, stop, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pwa-build")]


def test_make_run_serves_the_app_and_the_printed_login_works(tmp_path: Path) -> None:
    port, idp_port = free_port(), free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "IDP_PORT": str(idp_port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "BLOB_DIR": str(tmp_path / "blobs"),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("TRIVSEL_ENV", None)  # make run must work in a plain shell
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(
        target=lambda: output.extend(line.decode() for line in proc.stdout or []), daemon=True
    )
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/auth/me", 600, proc)
        printed = "".join(output)
        assert "familie@example.org" in printed
        match = re.search(r"Password for all of them: (\S+)", printed)
        assert match, printed
        session = requests.Session()
        assert session.get(f"{base}/api/auth/me", timeout=10).status_code == 401
        sign_in(base, "familie@example.org", match.group(1), session)
        me = session.get(f"{base}/api/auth/me", timeout=10)
        assert me.json()["user"]["role"] == "family_unit"
        shell = session.get(f"{base}/", timeout=10)
        assert shell.status_code == 200
        assert "<html" in shell.text.lower()
        # Staff can sign in through the local identity provider make run starts beside the app
        # (as through the municipality's login), and passwords stay on in development.
        methods = requests.get(f"{base}/api/auth/methods", timeout=10).json()
        assert methods["oidc"] is True and methods["password"] is True
        to_provider = requests.get(f"{base}/api/auth/oidc/login", allow_redirects=False, timeout=10)
        assert to_provider.status_code in (302, 303)
        assert to_provider.headers["Location"].startswith(f"http://127.0.0.1:{idp_port}/")
        assert requests.get(to_provider.headers["Location"], timeout=10).status_code == 200
        # Parents sign in with MitID at the same provider (make run is in MitID mode), and the
        # printed logins name the demo parents' test identities.
        to_mitid = requests.get(f"{base}/p/login/start", allow_redirects=False, timeout=10)
        assert to_mitid.status_code == 303
        assert to_mitid.headers["Location"].startswith(f"http://127.0.0.1:{idp_port}/")
        assert "mitid-mette" in printed and "010155-5001" in printed
    finally:
        stop(proc)
