"""Security headers on every response, set in one place."""

from __future__ import annotations

import ipaddress

from flask import Flask, Response, abort, current_app, request

from forum.config import DEVELOPMENT_SECRET_KEY

# The SHA-256 of GOV.UK Frontend 6.3.0's one inline snippet (template.html, `js-enabled`).
GOVUK_INLINE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {GOVUK_INLINE_SCRIPT_HASH}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def add_security_headers(response: Response) -> Response:
    """Attach the security headers; pages that show private content are not cached by shared caches."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "private, no-cache")
    return response


LOOPBACK_NAMES = {"localhost"}
DEVELOPMENT_KEY_REFUSAL = (
    "This forum is running with the development secret key, which anyone can read in its source code, so it "
    "only answers on the computer it runs on (at localhost or 127.0.0.1). To serve it to others, set SECRET_KEY "
    "and FORUM_ENV=production (see the README's Production section)."
)


def _is_loopback(address: str) -> bool:
    name = address.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refuse_others_with_the_development_key() -> None:
    """With the public fallback key anyone could forge a session or a reset link, so a request from another
    computer, or for a name other than this computer's own (a proxy in front), gets a 503 page saying why."""
    if current_app.config.get("SECRET_KEY") != DEVELOPMENT_SECRET_KEY:
        return
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if not (_is_loopback(request.remote_addr or "") and _is_loopback(host)):
        abort(503, description=DEVELOPMENT_KEY_REFUSAL)


def init_app(app: Flask) -> None:
    app.before_request(refuse_others_with_the_development_key)
    app.after_request(add_security_headers)
