"""A local OpenID Connect provider for development and tests: ``oidc-provider-mock`` (a dev
dependency) on 127.0.0.1 over real HTTP, with the demo's parents and staff as its users.

    python -m server.identity.dev_provider --port 9400

Its sign-in page lists the demo users; a click signs one in. The parents' CPR numbers are
test numbers that belong to no one: birth dates in 2055-2057 (7th digit 5-8, so the 2000s by
the CPR office's table), which pass Trivsel's validation but no living person has."""

from __future__ import annotations

import argparse
import logging
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from oidc_provider_mock import User, app
from werkzeug.serving import make_server

# The external ids and the test CPR numbers server/demo.py gives the demo's rows.
from server.demo import DEMO_CHILD_CPRS, DEMO_GUARDIAN_CPRS, DEMO_INSTITUTIONS
from server.identity.loa import NSIS_LOA_CLAIM
from server.identity.oidc import CPR_CLAIM

STAFF_ROLE_CLAIM = "roles"
STAFF_INSTITUTION_CLAIM = "institution"
# The groups a municipality would name in its identity provider, as STAFF_ROLES maps them.
DEMO_STAFF_ROLES = (
    "trivsel-familieindgang=family_unit,trivsel-paedagog=educator,"
    "trivsel-ppr=psychologist,trivsel-admin=admin"
)


@dataclass(frozen=True)
class DemoParent:
    """A parent as the MitID broker describes them."""

    sub: str
    name: str
    cpr: str
    loa: str
    children: tuple[str, ...]  # the demo children's test CPRs this parent holds custody of


@dataclass(frozen=True)
class DemoStaff:
    """A member of staff as the municipality's identity provider describes them."""

    sub: str
    email: str
    name: str
    roles: tuple[str, ...]
    institution: str | None


# Children's test CPRs (born 2057): Emma, Noah and Freja of server/demo.py.
DEMO_CHILDREN = DEMO_CHILD_CPRS
_EMMA, _NOAH, _FREJA = (DEMO_CHILD_CPRS[n] for n in ("Emma Jensen", "Noah Hansen", "Freja Nielsen"))


def _parent(sub: str, name: str, loa: str, *children: str) -> DemoParent:
    return DemoParent(sub, name, DEMO_GUARDIAN_CPRS[name], loa, children)


DEMO_PARENTS = (
    _parent("mitid-mette", "Mette Jensen", "Substantial", _EMMA),
    _parent("mitid-lars", "Lars Jensen", "High", _EMMA),
    _parent("mitid-sara", "Sara Hansen", "Substantial", _NOAH),
    _parent("mitid-ali", "Ali Hansen", "Substantial", _NOAH),
    _parent("mitid-ida", "Ida Nielsen", "Substantial", _FREJA),
    _parent("mitid-jonas", "Jonas Nielsen", "Substantial", _FREJA),
    # The refusals a newcomer can try: Mette with a MitID at Low, and a parent with no custody.
    DemoParent("mitid-mette-low", "Mette Jensen (lav sikring)", "010155-5001", "Low", (_EMMA,)),
    DemoParent("mitid-uden", "Ulla Uden Forældremyndighed", "070755-8007", "Substantial", ()),
)

# The accounts of server/demo.py's DEMO_STAFF, as the municipality's provider would send them.
DEMO_STAFF = (
    DemoStaff("entra-anna", "admin@example.org", "Anna Admin", ("trivsel-admin",), None),
    DemoStaff("entra-bo", "admin2@example.org", "Bo Admin", ("trivsel-admin",), None),
    DemoStaff(
        "entra-frida",
        "familie@example.org",
        "Frida Familieindgang",
        ("trivsel-familieindgang",),
        None,
    ),
    DemoStaff(
        "entra-peter",
        "paedagog@example.org",
        "Peter Pædagog",
        ("trivsel-paedagog",),
        DEMO_INSTITUTIONS["Solsikken"],
    ),
    DemoStaff(
        "entra-pia",
        "paedagog2@example.org",
        "Pia Pædagog",
        ("trivsel-paedagog",),
        DEMO_INSTITUTIONS["Skovbørnehaven"],
    ),
    DemoStaff("entra-poul", "ppr@example.org", "Poul PPR", ("trivsel-ppr",), None),
    # A member of staff whose groups map to no Trivsel role: refused with a 403.
    DemoStaff("entra-rolf", "rolf@example.org", "Rolf Uden Rolle", ("kantine",), None),
)


def parent_claims(parent: DemoParent) -> dict[str, object]:
    """The claims a NemLog-in broker sends for this parent."""
    return {
        "name": parent.name,
        CPR_CLAIM: parent.cpr.replace("-", ""),
        NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/{parent.loa}",
    }


def staff_claims(staff: DemoStaff) -> dict[str, object]:
    """The claims the municipality's provider sends for this member of staff."""
    claims: dict[str, object] = {
        "name": staff.name,
        "email": staff.email,
        "preferred_username": staff.email,
        # The demo's own provider vouches for the addresses: the first sign-in links the
        # demo's local account with the same e-mail (server/auth/oidc_routes.py).
        "email_verified": True,
        STAFF_ROLE_CLAIM: list(staff.roles),
        NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/Substantial",
    }
    if staff.institution:
        claims[STAFF_INSTITUTION_CLAIM] = staff.institution
    return claims


def demo_users() -> list[User]:
    """Every demo parent and member of staff as the provider's predefined users."""
    return [User(sub=p.sub, claims=parent_claims(p)) for p in DEMO_PARENTS] + [
        User(sub=s.sub, claims=staff_claims(s)) for s in DEMO_STAFF
    ]


@contextmanager
def running_provider(
    port: int = 0, users: Sequence[User] | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Serve the provider on a thread until the block ends; yields its issuer URL.

    The mock signs with a key it makes at start and keeps codes in memory, so each run is a
    fresh provider; nonces are required, as Trivsel always sends one."""
    # Its INFO line for each code it issues prints the user with every claim, CPR numbers
    # included: in a test process that line would land among Trivsel's own, which are
    # searched for the ten-digit pattern.
    logging.getLogger("oidc_provider_mock").setLevel(logging.WARNING)
    provider = app(require_nonce=True, user_claims=list(demo_users() if users is None else users))
    server = make_server(host, port, provider, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        daemon=True,
        name="oidc-provider-mock",
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def logins() -> list[str]:
    """Lines a newcomer reads: who can sign in, and how each is meant to fare."""
    lines = ["Parents (MitID, test CPR numbers that belong to no one):"]
    lines += [f"  {p.sub:<18} {p.name:<30} CPR {p.cpr}  LoA {p.loa}" for p in DEMO_PARENTS]
    lines.append("Staff (the municipality's login):")
    lines += [f"  {s.sub:<18} {s.email:<24} {', '.join(s.roles)}" for s in DEMO_STAFF]
    return lines


def wait_until_serving(issuer: str, seconds: float = 60) -> None:
    """Return once ``issuer`` answers its discovery document: ``make run`` starts gunicorn
    only then, so that the first "Log ind med kommunens login" never meets a provider still
    starting (a 502)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            # An http URL this module builds from its own host and port.
            url = f"{issuer}/.well-known/openid-configuration"
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"No identity provider answered at {issuer}") from None
            time.sleep(0.1)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the provider in the foreground (``make run`` starts it beside the app)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="only wait (up to a minute) until a provider answers there, then exit",
    )
    args = parser.parse_args(argv)
    if args.wait:
        wait_until_serving(f"http://{args.host}:{args.port}")
        return
    server = make_server(
        args.host, args.port, app(require_nonce=True, user_claims=demo_users()), threaded=True
    )
    print(f"Test identity provider on http://{args.host}:{server.server_port}")
    print("\n".join(logins()), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
