"""Slack's request signature (v0): proof that a request to the webhook comes from Slack.

Slack signs `v0:{X-Slack-Request-Timestamp}:{raw body}` with the app's signing secret (HMAC-SHA256)
and sends `v0=<hex>` in X-Slack-Signature. A timestamp more than five minutes away from now is
refused too, so a recorded request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 5 * 60
VERSION = "v0"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Slack-Signature value Slack sends for this body (tests sign their requests with it too)."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    return f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def is_valid(secret: str, timestamp: str | None, given: str | None, body: bytes, now: float | None = None) -> bool:
    """True when the signature matches the body and the timestamp is recent."""
    if not secret or not timestamp or not given:
        return False
    try:
        sent_at = int(timestamp.strip())
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > MAX_AGE_SECONDS:
        return False
    expected = signature(secret, timestamp.strip(), body).encode()
    return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))
