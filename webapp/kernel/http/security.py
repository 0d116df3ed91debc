"""Security headers on every response, and the per-request nonce that inline scripts must carry.

The Content-Security-Policy allows scripts from the app itself and inline scripts that carry this request's
nonce, nothing else; images from the app and the configured basemap host only. No page may be framed
(`frame-ancestors 'none'`, `X-Frame-Options: DENY`) except the views marked @frameable (the embeddable map),
which other sites may frame as EMBED_FRAME_ANCESTORS says; their policy is otherwise the same. Nothing here
reads or stores the client's address.
"""

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g
from markupsafe import Markup

from webapp.kernel.errors import view_says

# An opening <script> tag without a nonce yet; used only on HTML the app generated itself (Folium's output),
# never on HTML that carries user text.
_SCRIPT_TAG = re.compile(r"<script(?![^>]*\bnonce=)(?=[\s>])", re.IGNORECASE)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def with_script_nonces(generated_html: str) -> Markup:
    """Give every <script> tag of app-generated HTML (Folium's figure) this request's nonce."""
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', generated_html))  # noqa: S704 (our own Folium output)


def basemap_origin() -> str | None:
    """scheme://host of TILE_URL ({s} subdomains become a wildcard), or None when there is no basemap."""
    tile_url = current_app.config.get("TILE_URL") or ""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


# One source of frame-ancestors: *, 'self', or a scheme, host (with an optional leading *.) and port.
_FRAME_ANCESTOR = re.compile(r"^(\*|'self'|https?:|https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?)$")


def frame_ancestor_sources(setting: str) -> list[str]:
    """EMBED_FRAME_ANCESTORS as a list of CSP sources (space- or comma-separated); ValueError for anything
    that is not a source, so that no setting can add a directive of its own to the policy."""
    sources = [source for source in re.split(r"[\s,]+", setting or "") if source]
    if not sources:
        raise ValueError("EMBED_FRAME_ANCESTORS is empty: give * or the origins that may frame /embed")
    for source in sources:
        if not _FRAME_ANCESTOR.match(source):
            raise ValueError(
                f"EMBED_FRAME_ANCESTORS: {source!r} is not an origin like https://news.example.org"
            )
    return sources


def frameable(view):
    """Mark a view that other sites may frame (EMBED_FRAME_ANCESTORS); every other view refuses framing."""
    view.frameable = True
    return view


def _frameable_request() -> bool:
    return view_says("frameable")


def content_security_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    if origin := basemap_origin():
        images.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{csp_nonce()}'"],
        # Leaflet and Folium write style attributes and <style> blocks; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": (
            frame_ancestor_sources(current_app.config["EMBED_FRAME_ANCESTORS"])
            if _frameable_request()
            else ["'none'"]
        ),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def set_security_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # X-Frame-Options knows no list of origins: a frameable view leaves it to frame-ancestors.
    if not _frameable_request():
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = (
        "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()"
    )
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HTTPS"):
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def init_security(app: Flask) -> None:
    frame_ancestor_sources(app.config.get("EMBED_FRAME_ANCESTORS", "*"))  # refuse a bad setting at start
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
