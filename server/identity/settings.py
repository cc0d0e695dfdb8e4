"""The identity settings: their names and defaults (read by server/config.py), their checks,
and the objects they describe. The wiring of next session calls these with ``app.config``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from server.identity.cpr import CPR_CLAIM, Cpr
from server.identity.loa import NSIS_LOA_CLAIM

if TYPE_CHECKING:  # imported where used: server/config.py reads this module at every start
    from server.identity.custody import CustodySource
    from server.identity.oidc import OidcClient

# Name -> default. Every one is a string, as the environment gives it.
IDENTITY_DEFAULTS: dict[str, str] = {
    # Parents: MitID through a broker. Without an issuer, today's personal links stay.
    "PARENT_OIDC_ISSUER": "",
    "PARENT_OIDC_CLIENT_ID": "",
    "PARENT_OIDC_CLIENT_SECRET": "",
    "PARENT_OIDC_SCOPES": "openid",
    "PARENT_MIN_LOA": "Substantial",
    "PARENT_LOA_CLAIM": NSIS_LOA_CLAIM,
    "PARENT_CPR_CLAIM": CPR_CLAIM,
    # How long a MitID sign-in lasts on a phone, in hours (docs/identity.md says why 4).
    "PARENT_SESSION_HOURS": "4",
    # Staff: the municipality's identity provider (Entra ID, AD FS, a broker for FK
    # Adgangsstyring).
    "STAFF_OIDC_ISSUER": "",
    "STAFF_OIDC_CLIENT_ID": "",
    "STAFF_OIDC_CLIENT_SECRET": "",
    "STAFF_OIDC_SCOPES": "openid email profile",
    "STAFF_MIN_LOA": "Substantial",
    "STAFF_LOA_CLAIM": NSIS_LOA_CLAIM,
    "STAFF_ROLE_CLAIM": "roles",
    # group=role pairs, comma-separated: trivsel-paedagog=educator,trivsel-admin=admin
    "STAFF_ROLES": "",
    "STAFF_INSTITUTION_CLAIM": "institution",
    # Local passwords: "1" on, "0" off; empty: off in production when STAFF_OIDC_ISSUER is
    # set, on otherwise (server/auth/oidc_routes.py resolves it at start).
    "PASSWORD_LOGIN": "",
    # CPR numbers at rest (server/identity/cpr_crypto.py): id:base64key pairs, current first.
    "CPR_KEY": "",
    # Who holds custody: "manual" (staff tick it) or "cpr" (the municipality's CPR service).
    "CUSTODY_SOURCE": "manual",
    "CUSTODY_CPR_URL": "",
    "CUSTODY_CPR_TOKEN": "",
    "CUSTODY_CPR_CERT_FILE": "",
    "CUSTODY_CPR_KEY_FILE": "",
    "CUSTODY_CPR_CA_FILE": "",
}

CUSTODY_SOURCES = ("manual", "cpr")


def parse_staff_roles(setting: str, known_roles: Iterable[str]) -> dict[str, str]:
    """``STAFF_ROLES`` as a mapping from the provider's group to Trivsel's role; a role
    Trivsel does not have is an error (a typo would otherwise refuse a whole group)."""
    known = set(known_roles)
    mapping: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        group, sep, role = (s.strip() for s in entry.partition("="))
        if not sep or not group or not role:
            raise ValueError(f"STAFF_ROLES entry {entry!r} is not group=role")
        if role not in known:
            raise ValueError(
                f"STAFF_ROLES maps {group!r} to {role!r}, which is not one of "
                f"Trivsel's roles ({', '.join(sorted(known))})"
            )
        if mapping.get(group, role) != role:
            raise ValueError(f"STAFF_ROLES maps {group!r} to two roles")
        mapping[group] = role
    return mapping


def staff_role(claims: Mapping[str, Any], role_claim: str, mapping: Mapping[str, str]) -> str:
    """The one Trivsel role a member of staff's groups map to; NoStaffRole for none or two
    (a member of two groups with different roles is for the municipality to sort out)."""
    from server.identity.errors import NoStaffRole

    value = claims.get(role_claim)
    groups = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    roles = {mapping[g] for g in groups if isinstance(g, str) and g in mapping}
    if len(roles) != 1:
        raise NoStaffRole("no role" if not roles else "more than one role")
    return roles.pop()


def problems(
    config: Mapping[str, Any], *, production: bool, known_roles: Sequence[str] = ()
) -> list[str]:
    """What in the identity settings would stop the app starting (empty: nothing)."""
    from server.identity.cpr_crypto import CprKeyError, CprKeyring
    from server.identity.loa import parse_minimum

    found: list[str] = []
    for side in ("PARENT", "STAFF"):
        if config[f"{side}_OIDC_ISSUER"]:
            for name in ("CLIENT_ID", "CLIENT_SECRET"):
                if not config[f"{side}_OIDC_{name}"]:
                    found.append(f"{side}_OIDC_ISSUER is set without {side}_OIDC_{name}.")
        try:
            parse_minimum(str(config[f"{side}_MIN_LOA"]))
        except ValueError as exc:
            found.append(f"{side}_MIN_LOA: {exc}.")
    hours = str(config.get("PARENT_SESSION_HOURS", "4"))
    if not hours.isdigit() or not 1 <= int(hours) <= 24 * 14:
        found.append(f"PARENT_SESSION_HOURS={hours!r}: a whole number of hours, 1 to 336.")
    if config["STAFF_OIDC_ISSUER"]:
        try:
            if not parse_staff_roles(str(config["STAFF_ROLES"]), known_roles):
                found.append("STAFF_OIDC_ISSUER is set without STAFF_ROLES: no one could sign in.")
        except ValueError as exc:
            found.append(f"{exc}.")
    if config["CPR_KEY"]:
        try:
            CprKeyring.from_setting(str(config["CPR_KEY"]))
        except CprKeyError as exc:
            found.append(f"CPR_KEY: {exc}.")
    elif production:
        found.append(
            "CPR_KEY must be set in production: CPR numbers are stored encrypted "
            "with it (python -m server.identity.cpr_crypto k1 makes one)."
        )
    source = config["CUSTODY_SOURCE"]
    if source not in CUSTODY_SOURCES:
        found.append(f"CUSTODY_SOURCE={source!r}: use manual or cpr.")
    elif source == "cpr" and not config["CUSTODY_CPR_URL"]:
        found.append("CUSTODY_SOURCE=cpr needs CUSTODY_CPR_URL.")
    return found


def oidc_client(
    config: Mapping[str, Any], side: str, redirect_uri: str, **options: Any
) -> OidcClient | None:
    """The ``OidcClient`` the ``PARENT_``/``STAFF_`` settings describe, or None without an
    issuer (the parents keep their personal links; staff keep passwords)."""
    from server.identity.loa import parse_minimum
    from server.identity.oidc import OidcClient

    if not config[f"{side}_OIDC_ISSUER"]:
        return None
    return OidcClient(
        str(config[f"{side}_OIDC_ISSUER"]),
        str(config[f"{side}_OIDC_CLIENT_ID"]),
        str(config[f"{side}_OIDC_CLIENT_SECRET"]),
        redirect_uri,
        tuple(str(config[f"{side}_OIDC_SCOPES"]).split()),
        min_loa=parse_minimum(str(config[f"{side}_MIN_LOA"])),
        loa_claim=str(config[f"{side}_LOA_CLAIM"]),
        cpr_claim=str(config["PARENT_CPR_CLAIM"]) if side == "PARENT" else None,
        **options,
    )


def custody_source(
    config: Mapping[str, Any], manual_lookup: Callable[[Cpr], Iterable[Cpr]]
) -> CustodySource:
    """The ``CustodySource`` ``CUSTODY_SOURCE`` names."""
    from server.identity.custody import CprCustody, ManualCustody

    if config["CUSTODY_SOURCE"] == "cpr":
        cert, key = config["CUSTODY_CPR_CERT_FILE"], config["CUSTODY_CPR_KEY_FILE"]
        return CprCustody(
            str(config["CUSTODY_CPR_URL"]),
            token=str(config["CUSTODY_CPR_TOKEN"]),
            client_cert=(str(cert), str(key)) if cert else None,
            ca_file=str(config["CUSTODY_CPR_CA_FILE"]),
        )
    return ManualCustody(manual_lookup)
