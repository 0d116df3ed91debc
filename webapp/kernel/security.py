"""Security headers on every response, and the per-request nonce that inline scripts must carry.

The Content-Security-Policy allows scripts from the app itself and inline scripts that carry this request's
nonce, nothing else; images from the app and the configured basemap host only. Nothing here reads or stores
the client's address.
"""

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g
from markupsafe import Markup

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
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def set_security_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = (
        "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()"
    )
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HTTPS"):
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
