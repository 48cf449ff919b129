"""Passwords (argon2), session tokens, and time-based one-time codes (RFC 6238) for the second factor."""

import base64
import hashlib
import hmac
import secrets
import struct
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return HASHER.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """Return a random token for a cookie or a form."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return what is stored for a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_totp_secret() -> str:
    """Return a base32 secret for an authenticator app."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def totp(secret: str, at: float | None = None, step: int = 30) -> str:
    """Return the six-digit code for this moment."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def check_totp(secret: str, code: str, at: float | None = None) -> bool:
    """Accept the code for now or the 30 seconds either side (phone clocks drift)."""
    now = time.time() if at is None else at
    return any(hmac.compare_digest(totp(secret, now + drift), (code or "").strip()) for drift in (-30, 0, 30))
