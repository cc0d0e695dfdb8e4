"""Settings, read from the environment in one place (STYLE.md habit 1)."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from server.filing.settings import EXPORTER_NAMES, FILING_DEFAULTS, check_filing
from server.identity.settings import IDENTITY_DEFAULTS
from server.letters.settings import DIGITAL_POST_DEFAULTS, letters_mode

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


S3_SETTINGS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
)


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


# base64 of SHA-256("trivsel development CPR key"): public, for development and tests only.
DEV_CPR_KEY = (
    "dev:" + base64.b64encode(hashlib.sha256(b"trivsel development CPR key").digest()).decode()
)


MUNICIPALITY_SETTINGS = (
    "MUNICIPALITY_NAME",
    "MUNICIPALITY_ADDRESS",
    "MUNICIPALITY_PHONE",
    # A file on the server (served at /p/logo) or a path on this site ("/static/logo.svg");
    # never another site's address: the parents' pages load nothing from elsewhere, so no
    # third party learns who opens them.
    "MUNICIPALITY_LOGO",
    # The municipality's page on how it handles personal data (a link, never fetched).
    "MUNICIPALITY_PRIVACY_URL",
)
# A made-up municipality for a local run and the tests (".example" is reserved, RFC 2606).
DEMO_MUNICIPALITY = {
    "MUNICIPALITY_NAME": "Trivsby Kommune",
    "MUNICIPALITY_ADDRESS": "Rådhuspladsen 1, 9999 Trivsby",
    "MUNICIPALITY_PHONE": "70 10 20 30",
    "MUNICIPALITY_LOGO": str(Path(__file__).resolve().parent / "parents" / "demo-logo.png"),
    "MUNICIPALITY_PRIVACY_URL": "https://trivsby.kommune.example/databeskyttelse",
}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


class Config:
    """Everything the app reads from the environment; a test passes overrides instead."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        env = os.environ
        self.TRIVSEL_ENV = env.get("TRIVSEL_ENV", "production")
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            env.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'trivsel.sqlite3'}")
        )
        self.SECRET_KEY = env.get("SECRET_KEY", "")
        # Stored files: the filesystem folders below by default, or one S3-compatible store
        # (s3://<bucket>/<prefix>) with the standard AWS_* settings.
        self.BLOB_STORE_URL = env.get("BLOB_STORE_URL", "")
        self.BLOB_STORE_S3 = {name: env.get(name, "") for name in S3_SETTINGS}
        self.BLOB_DIR = env.get("BLOB_DIR", str(INSTANCE_DIR / "blobs"))
        self.BLOB_MAX_BYTES = _env_int("BLOB_MAX_BYTES", 15 * 1024 * 1024)
        # Any image from outside (photo or document) with more pixels is refused from its
        # header, before it is decoded (a decoded pixel costs 3-4 bytes of a worker's memory).
        self.IMAGE_MAX_PIXELS = _env_int("IMAGE_MAX_PIXELS", 25_000_000)
        self.PWA_DIST = env.get("PWA_DIST", str(ROOT / "pwa" / "dist"))
        self.DEMO_PASSWORD = env.get("DEMO_PASSWORD", "")
        # Sign-in throttling (server/auth/throttle.py): attempts and failures per address,
        # and a growing, capped wait per address on an account under attack (never a lock).
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "30 per minute")
        self.LOGIN_FAILURE_LIMIT = env.get("LOGIN_FAILURE_LIMIT", "30 per hour")
        # Failures on one account from addresses where it never signed in, over all of them.
        self.LOGIN_ACCOUNT_FAILURE_LIMIT = env.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "50 per hour")
        # Office networks (addresses or CIDR, comma-separated) whose many tablets sign in
        # from one address: the per-address limits above do not apply to them.
        self.OFFICE_NETWORKS = env.get("OFFICE_NETWORKS", "")
        self.LOGIN_FREE_FAILURES = _env_int("LOGIN_FREE_FAILURES", 5)
        self.LOGIN_MAX_WAIT = _env_int("LOGIN_MAX_WAIT", 30)
        # "database" (every worker and instance shares the app's database) or redis://…
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "database")
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none, the
        # socket's address is the client's). Throttling per address depends on it.
        self.TRUSTED_PROXY_HOPS = _env_int("TRUSTED_PROXY_HOPS", 0)
        # Those headers are believed only from these peers (addresses or CIDR networks,
        # comma-separated): anyone else who reaches the app could write them (server/proxies.py).
        self.TRUSTED_PROXIES = env.get("TRUSTED_PROXIES", "")
        self.SESSION_IDLE_HOURS = _env_int("SESSION_IDLE_HOURS", 12)
        self.SESSION_MAX_DAYS = _env_int("SESSION_MAX_DAYS", 14)
        # The device's wrapping key goes only to a session signed in this many minutes ago
        # (docs/security.md): a copied profile whose cookie still lives opens nothing without
        # the PIN or a new sign-in.
        self.DEVICE_KEY_FRESH_MINUTES = _env_int("DEVICE_KEY_FRESH_MINUTES", 10)
        # Parents' links and e-mail. PUBLIC_URL is the address parents' links point at.
        self.PUBLIC_URL = env.get("PUBLIC_URL", "http://127.0.0.1:8000")
        self.INVITATION_DAYS = _env_int("INVITATION_DAYS", 14)
        # How long a staff member's welcome or password-reset link works (single use).
        self.PASSWORD_LINK_HOURS = _env_int("PASSWORD_LINK_HOURS", 24)
        self.GUARDIAN_SESSION_DAYS = _env_int("GUARDIAN_SESSION_DAYS", 180)
        # A parent's phone shows its kept pages offline only this long after its last answer
        # from the server (closing access reaches a phone only when it next asks): 7 days.
        self.PARENT_OFFLINE_DAYS = _env_int("PARENT_OFFLINE_DAYS", 7)
        self.SMTP_HOST = env.get("SMTP_HOST", "")
        self.SMTP_PORT = _env_int("SMTP_PORT", 587)
        self.SMTP_USER = env.get("SMTP_USER", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        self.SMTP_STARTTLS = env.get("SMTP_STARTTLS", "1") not in ("0", "", "false")
        # The relay's certificate is checked against the system's CAs, or against this PEM
        # file (a municipal relay with the municipality's own CA).
        self.SMTP_CA_FILE = env.get("SMTP_CA_FILE", "")
        self.MAIL_FROM = env.get("MAIL_FROM", "trivsel@localhost")
        # How a letter reaches a parent (server/letters/channel.py, docs/deploying.md):
        # "digital_post" (MeMo through SF1601), "email" (a notice that names no child) or
        # "outbox" (kept on the server, development). Empty: email where SMTP_HOST is set,
        # else outbox, so a deployment that sent e-mail before this setting goes on doing so.
        self.LETTERS = env.get("LETTERS", "")
        for name, default in DIGITAL_POST_DEFAULTS.items():
            setattr(self, name, env.get(name, default))
        # Who sends the parents' pages, letters and PDFs (issue 21: with one-time links an
        # unsigned message looks like phishing). Read by server/parents/sender.py; demo values
        # in development and tests (DEMO_MUNICIPALITY).
        for name in MUNICIPALITY_SETTINGS:
            setattr(self, name, env.get(name, ""))
        # Filing: the exporter ("folder" is the default, or "sf2900"), its target folder,
        # and the rest in server/filing/settings.py (docs/deploying.md).
        self.FILING_EXPORTER = env.get("FILING_EXPORTER", "folder")
        self.FILING_DIR = env.get("FILING_DIR", str(INSTANCE_DIR / "filing"))
        for name, default in FILING_DEFAULTS.items():
            setattr(self, name, env.get(name, default))
        # Where the PDFs' font, DejaVu Sans (Debian's fonts-dejavu-core), is: it draws Greek,
        # Cyrillic, Hebrew and Arabic letters too; without it PDFs fall back to Latin-only Vera.
        self.PDF_FONT_DIR = env.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
        # How long a closed course is kept before `flask retention` deletes it (the
        # municipality's own rule decides; five years is a placeholder, not advice).
        self.ATTACHMENT_DIR = env.get("ATTACHMENT_DIR", str(INSTANCE_DIR / "attachments"))
        self.ATTACHMENT_MAX_BYTES = _env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
        self.RETENTION_DAYS = _env_int("RETENTION_DAYS", 5 * 365)
        # How long an audit entry is kept, counted from when it was written (not from its
        # course's deletion): a year longer than RETENTION_DAYS, so that who saw a child's
        # data can be answered for as long as the data exists (docs/deploying.md).
        self.AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", self.RETENTION_DAYS + 365)
        # Operations (server/ops/, docs/deploying.md). LOG_FORMAT "json" (one object per line)
        # or "text"; empty means json in production, text on a developer's machine.
        self.LOG_FORMAT = env.get("LOG_FORMAT", "")
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        # /metrics answers only a bearer of this token; without it the endpoint is off.
        self.METRICS_TOKEN = env.get("METRICS_TOKEN", "")
        # The `flask jobs` worker: outbox every N seconds, retention every N hours (0: off).
        self.JOBS_OUTBOX_SECONDS = _env_int("JOBS_OUTBOX_SECONDS", 60)
        self.JOBS_RETENTION_HOURS = _env_int("JOBS_RETENTION_HOURS", 24)
        # Custody from the CPR service every N hours, with CUSTODY_SOURCE=cpr only (0: off).
        self.JOBS_CUSTODY_HOURS = _env_int("JOBS_CUSTODY_HOURS", 24)
        # Strict-Transport-Security's max-age in seconds, sent outside development and over
        # HTTPS (server/web/headers.py). 0 tells browsers to forget it (undoing a mistake).
        self.HSTS_MAX_AGE = _env_int("HSTS_MAX_AGE", 365 * 24 * 3600)
        # argon2 parameters for new password hashes (server/auth/passwords.py): "default" (RFC
        # 9106's 64 MiB, three passes) or "cheapest" (tests only: the suite's hundreds of
        # sign-ins would spend minutes in argon2). Empty: cheapest under TRIVSEL_ENV=testing.
        self.PASSWORD_HASH_PROFILE = env.get("PASSWORD_HASH_PROFILE", "")
        # --- Identity (issue 20): MitID for parents, the municipality's login for staff, CPR
        # numbers and custody. Names and defaults in server/identity/settings.py, meanings in
        # docs/identity.md. Read here; nothing uses them until the sign-in routes are wired.
        for name, default in IDENTITY_DEFAULTS.items():
            setattr(self, name, env.get(name, default))
        # --- end of identity
        self.overrides = overrides or {}
        _refuse_retired(set(env) | set(self.overrides))

    @property
    def is_development(self) -> bool:
        """True for a developer's machine or the test suite."""
        return self.TRIVSEL_ENV in ("development", "testing")

    def as_flask_config(self) -> dict[str, Any]:
        """The mapping handed to app.config, with derived settings and overrides applied."""
        values: dict[str, Any] = {k: v for k, v in vars(self).items() if k.isupper()}
        values.update(self.overrides)
        if "DATABASE_URL" in values:  # overrides may use the environment's name
            values["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(values.pop("DATABASE_URL"))
        env = values["TRIVSEL_ENV"]
        if not values["SECRET_KEY"]:
            if env not in ("development", "testing"):
                raise ConfigError(
                    "SECRET_KEY must be set outside development "
                    "(set TRIVSEL_ENV=development for a local run)."
                )
            values["SECRET_KEY"] = "dev-only-not-secret"  # noqa: S105 - never used in production
        if not values.get("CPR_KEY") and env in ("development", "testing"):
            # A key of development's own, so a local run and the tests store CPR numbers the
            # way production does (encrypted); production refuses to start without CPR_KEY.
            values["CPR_KEY"] = DEV_CPR_KEY
        if env in ("development", "testing"):
            for name, demo in DEMO_MUNICIPALITY.items():
                values[name] = values[name] or demo
        _check_logo(str(values["MUNICIPALITY_LOGO"]))
        if values["BLOB_STORE_URL"] and not values["BLOB_STORE_URL"].startswith("s3://"):
            raise ConfigError(
                "BLOB_STORE_URL must be empty (files in BLOB_DIR, ATTACHMENT_DIR "
                "and FILING_DIR) or s3://<bucket>/<prefix>."
            )
        values.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(values))
        _check_throttle_store(str(values["RATELIMIT_STORAGE_URI"]))
        _check_proxies(values)
        try:
            values["LETTERS"] = letters_mode(values)
            check_filing(values, EXPORTER_NAMES)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if values["SMTP_CA_FILE"] and not Path(values["SMTP_CA_FILE"]).is_file():
            raise ConfigError(f"SMTP_CA_FILE={values['SMTP_CA_FILE']!r} is not a file.")
        values["PASSWORD_HASH_PROFILE"] = _password_hash_profile(
            str(values["PASSWORD_HASH_PROFILE"]), env
        )
        _check_cpr_key(str(values.get("CPR_KEY") or ""))
        values.update(
            TESTING=env == "testing",
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=env not in ("development", "testing"),
            SESSION_COOKIE_NAME="trivsel_session",
            PERMANENT_SESSION_LIFETIME=timedelta(days=values["SESSION_MAX_DAYS"]),
            # The cookie is written only when the session changes (sign-in, sign-out, a first
            # CSRF token): the session's lifetime is kept on the server (expires_at, idle),
            # and a cookie re-sent with every answer let a late answer to the old session
            # overwrite a newer sign-in's cookie (tests/server/test_auth.py).
            SESSION_REFRESH_EACH_REQUEST=False,
            # A tablet may stay offline for a whole meeting: the CSRF token must live as long
            # as the session, not Flask-WTF's default hour.
            WTF_CSRF_TIME_LIMIT=None,
            WTF_CSRF_SSL_STRICT=False,
            MAX_CONTENT_LENGTH=values["BLOB_MAX_BYTES"] + 1024 * 1024,
            API_TITLE="Trivsel API",
            API_VERSION="1",
            OPENAPI_VERSION="3.0.3",
            OPENAPI_URL_PREFIX="/api",
            OPENAPI_JSON_PATH="openapi.json",
            # Pull pages are compressed for clients that accept it (server/sync/routes.py):
            # a page of a thousand records is ~370 KB of JSON, ~40 KB compressed, and a
            # tablet catches up over whatever link the meeting room has. Only answers that
            # carry no secret are compressed (BREACH): the decorator chooses, not a MIME type.
            COMPRESS_REGISTER=False,
            COMPRESS_ALGORITHM=["zstd", "br", "gzip"],
            COMPRESS_ZSTD_LEVEL=1,
            COMPRESS_BR_LEVEL=1,
            COMPRESS_LEVEL=1,
        )
        return values


# Names an earlier version's guide used, and the setting that took their place: set, they
# would be ignored without a word (a load balancer's address counted as every client's).
_RETIRED = {"PROXY_HOPS": "TRUSTED_PROXY_HOPS"}


def _refuse_retired(names: set[str]) -> None:
    for old, new in _RETIRED.items():
        if old in names:
            raise ConfigError(f"{old} is no longer read: set {new} instead (see the README).")


def _check_logo(logo: str) -> None:
    """The logo is this server's to serve: a file it reads (served at /p/logo), or a path on
    its own site. Another site's address would tell that site who opens the parents' pages
    (and their Content-Security-Policy would block it anyway)."""
    if not logo or Path(logo).is_file():
        return
    if logo.startswith("/") and not logo.startswith("//") and "\\" not in logo:
        return
    raise ConfigError(
        f"MUNICIPALITY_LOGO={logo!r}: give a file on the server or a path on this site "
        "(/…), not another site's address: the parents' pages load nothing from elsewhere."
    )


def _check_throttle_store(uri: str) -> None:
    """A count kept per worker (``memory://``) would let every worker allow the whole limit."""
    if uri != "database" and not uri.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI={uri!r}: use 'database' (the default) or redis://… so "
            "that every worker and instance counts the same sign-in attempts."
        )


def _check_proxies(values: dict[str, Any]) -> None:
    """X-Forwarded-For believed from any peer lets a client that bypasses the proxy pick a new
    address per sign-in attempt: production names its proxies or does not start."""
    from server.proxies import parse_networks

    hops, proxies = int(values["TRUSTED_PROXY_HOPS"]), str(values["TRUSTED_PROXIES"])
    try:
        parse_networks(proxies)
    except ValueError as exc:
        raise ConfigError(
            f"TRUSTED_PROXIES: {exc} (write addresses or networks, "
            "comma-separated: 10.0.0.5, 10.1.0.0/16)."
        ) from None
    try:
        parse_networks(str(values["OFFICE_NETWORKS"]))
    except ValueError as exc:
        raise ConfigError(
            f"OFFICE_NETWORKS: {exc} (write addresses or networks, comma-separated)."
        ) from None
    if proxies.strip() and hops < 1:
        raise ConfigError(
            "TRUSTED_PROXIES is set but TRUSTED_PROXY_HOPS is 0: set it to the "
            "number of proxies in front of the app (usually 1)."
        )
    if hops > 0 and not proxies.strip() and values["TRIVSEL_ENV"] not in ("development", "testing"):
        raise ConfigError(
            "TRUSTED_PROXY_HOPS is set without TRUSTED_PROXIES: X-Forwarded-For would be "
            "believed from anyone who reaches the app, and a client that bypasses the proxy "
            "could escape the sign-in throttle. Set TRUSTED_PROXIES to the proxies' "
            "addresses or network (see docs/deploying.md)."
        )


def _check_cpr_key(setting: str) -> None:
    """CPR numbers are stored encrypted under ``CPR_KEY``: without it (or with a key the
    keyring cannot use) a start would fail at the first child with a CPR number, mid-request,
    or store nothing readable. Development and tests got a public key above; production
    names its own, checked here for form (the message never prints a key)."""
    from server.identity.cpr_crypto import CprKeyError, CprKeyring

    if not setting.strip():
        raise ConfigError(
            "CPR_KEY must be set outside development: CPR numbers are stored encrypted "
            "with it. `python -m server.identity.cpr_crypto k1` prints a new key "
            "(see docs/deploying.md)."
        )
    try:
        CprKeyring.from_setting(setting)
    except CprKeyError as exc:
        raise ConfigError(f"CPR_KEY: {exc} (the form is id:base64key, current first).") from None


def _password_hash_profile(profile: str, env: str) -> str:
    """Weak hashes are for tests: a real account's password must cost an attacker the most."""
    profile = profile or ("cheapest" if env == "testing" else "default")
    if profile not in ("default", "cheapest"):
        raise ConfigError(f"PASSWORD_HASH_PROFILE={profile!r}: use 'default' or 'cheapest'.")
    if profile == "cheapest" and env != "testing":
        raise ConfigError(
            "PASSWORD_HASH_PROFILE=cheapest is for TRIVSEL_ENV=testing only: it "
            "makes stolen password hashes cheap to crack."
        )
    return profile


def _normalise_db_url(url: str) -> str:
    """Accept the postgres:// spelling hosting platforms hand out, and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _engine_options(values: dict[str, Any]) -> dict[str, Any]:
    url: str = values["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        # Several gunicorn workers share one file: wait for the write lock instead of failing.
        return {"connect_args": {"timeout": 30}}
    # Every connection is tried before a request gets it. Checking only those idle a while
    # left a connection used a moment before a database restart to fail the next request of
    # every worker (issue 26: 500s on parents' pages and on pushes); SQLAlchemy's own check
    # costs one round trip per checkout (docs/deploying.md, "A database restart").
    return {"pool_pre_ping": True}
