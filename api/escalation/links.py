"""Signed one-time links in pages: /a/<token> lets the paged person acknowledge from their phone."""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from api.config import get_settings

LINK_LIFETIME = timedelta(hours=24)


class BadLink(ValueError):
    """The link was altered, is unknown or has expired."""


def _signature(payload: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def make_token(notification_id: int, *, now: datetime, secret: str | None = None) -> str:
    """Return a token naming one page, valid for a day."""
    payload = f"{notification_id}.{int((now + LINK_LIFETIME).timestamp())}"
    return f"{payload}.{_signature(payload, secret or get_settings().secret_key)}"


def read_token(token: str, *, now: datetime, secret: str | None = None) -> int:
    """Return the page's notification id, or raise BadLink."""
    try:
        notification_id, expires, signature = token.split(".")
        payload = f"{int(notification_id)}.{int(expires)}"
    except ValueError:
        raise BadLink("not a link we made") from None
    if not hmac.compare_digest(signature, _signature(payload, secret or get_settings().secret_key)):
        raise BadLink("not a link we made")
    if now.timestamp() > int(expires):
        raise BadLink("this link has expired")
    return int(notification_id)


def link_url(token: str) -> str:
    """Return the full address of an acknowledgement link."""
    return f"{get_settings().public_base_url.rstrip('/')}/a/{token}"
