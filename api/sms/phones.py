"""Phone numbers at rest: encrypted, and found by a keyed hash, so the database never holds one in clear."""

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken

from api.config import Settings

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


class BadNumber(ValueError):
    """Not a phone number Twilio would send."""


def normalise(number: str) -> str:
    """Return the number in E.164 (+447700900123), or raise BadNumber."""
    number = re.sub(r"[\s()-]", "", number or "")
    if not E164.match(number):
        raise BadNumber("not an E.164 phone number")
    return number


def _derived(settings: Settings, purpose: str) -> bytes:
    secret = settings.phone_key or settings.secret_key
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()


def phone_hash(number: str, settings: Settings) -> str:
    """Return the keyed hash the number is looked up by."""
    return hmac.new(_derived(settings, "lookup"), normalise(number).encode(), hashlib.sha256).hexdigest()


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived(settings, "encrypt")))


def encrypt(number: str, settings: Settings) -> str:
    """Return the number encrypted for storage."""
    return _fernet(settings).encrypt(normalise(number).encode()).decode()


def decrypt(token: str, settings: Settings) -> str:
    """Return the stored number in clear, to send an SMS to it."""
    try:
        return _fernet(settings).decrypt(token.encode()).decode()
    except InvalidToken:
        raise BadNumber("the stored number cannot be read with this key") from None
