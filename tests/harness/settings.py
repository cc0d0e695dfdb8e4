"""The app's settings in tests: one function, so every suite starts from the same testing
configuration and says only what it changes."""

from __future__ import annotations

from pathlib import Path

# The folders of the three file stores; a test's files never land in the repository's
# instance/ folder, and one test's files never meet another's.
STORES = ("BLOB_DIR", "ATTACHMENT_DIR", "FILING_DIR")
SECRET_KEY = "trivsel-test-secret-key"


def settings(folder: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """Testing settings as an environment (strings, so gunicorn and `flask` commands get the
    same as ``create_app``): the database, every file store under ``folder``, and
    ``overrides`` on top."""
    return {
        "TRIVSEL_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "BLOB_DIR": str(folder / "blobs"),
        "ATTACHMENT_DIR": str(folder / "attachments"),
        "FILING_DIR": str(folder / "filing"),
        **overrides,
    }
