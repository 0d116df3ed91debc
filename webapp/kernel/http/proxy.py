"""Who the client is behind the reverse proxy, as far as rate limits need to know: the trusted-proxy setting
(Werkzeug's ProxyFix, off unless PROXY_HOPS says how many proxies stand in front) and the address rate limits
key on (an IPv6 client by its /64, the block one household or phone is given).

Nothing here stores an address: callers hash what client_address() returns (webapp.kernel.http.ratelimit).
"""

import ipaddress

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

# One subscriber gets at least a /64 (RFC 6177); keying on the whole address would give every IPv6 client
# 2^64 fresh budgets.
IPV6_CLIENT_PREFIX = 64


def trust_proxies(app: Flask) -> None:
    """Take the client's address and scheme from X-Forwarded-For and X-Forwarded-Proto, as set by the
    PROXY_HOPS proxies in front of the app (0: no proxy, the headers are ignored).

    Only the last PROXY_HOPS values count: those are the ones our own proxies appended, whatever a client
    wrote into the header itself. The Host header is taken as it arrives (the proxy passes it on), never from
    X-Forwarded-Host.
    """
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ValueError(f"PROXY_HOPS must be 0 or more, not {hops}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def client_network(address: str | None) -> str:
    """The part of an address that identifies one client: an IPv4 address whole, an IPv6 address by its
    /64 network (an IPv4-mapped IPv6 address as the IPv4 address it maps)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)


def client_address() -> str:
    """The current request's client, as client_network() reduces it (after the trusted proxies)."""
    return client_network(request.remote_addr)
