"""X-Forwarded-For/-Proto, believed only when the proxy that sent them is one we know.

Werkzeug's ``ProxyFix`` trusts the headers from whoever connects. Behind a load balancer
that is the balancer, until an instance is reachable without it (a second network, a port
left open, a neighbour on the internal network): then a client writes X-Forwarded-For itself,
a new address per attempt, and the sign-in throttle, which counts per address, counts each
guess as a new client (issue 19). So the headers are applied only when the direct peer
(``REMOTE_ADDR``, the socket's address) is in ``TRUSTED_PROXIES``; from any other peer the
request is served with the peer's own address and scheme, as if there were no proxy.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

log = logging.getLogger(__name__)


def parse_networks(text: str) -> list[Network]:
    """Comma-separated addresses or CIDR networks ("10.0.0.5, 10.1.0.0/16"); ValueError names
    the entry that is neither."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if entry:
            # strict=False: "10.1.2.3/16" means its network, as operators often write it.
            networks.append(ipaddress.ip_network(entry, strict=False))
    return networks


class TrustedProxyFix:
    """``ProxyFix`` for requests whose peer is a trusted proxy; others pass untouched."""

    def __init__(self, app: WSGIApplication, hops: int, networks: Iterable[Network]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)
        self.networks = tuple(networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.trusts(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def trusts(self, peer: str | None) -> bool:
        """Whether the socket's peer is one of the configured proxies (a Unix socket's peer,
        with no address, never is)."""
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # a dual-stack socket's view of an IPv4 peer
        return any(address in network for network in self.networks)


def warn_untrusted(hops: int) -> None:
    """Said at start when the headers are believed from any peer (development only; the
    config refuses this in production)."""
    log.warning(
        "TRUSTED_PROXY_HOPS=%d without TRUSTED_PROXIES: X-Forwarded-For is believed from any "
        "peer. A client that reaches this instance without the proxy can write a new address "
        "on each sign-in attempt and escape the per-address throttle. Set TRUSTED_PROXIES to "
        "the proxies' addresses.",
        hops,
    )
