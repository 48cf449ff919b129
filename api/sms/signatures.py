"""Check that a webhook really comes from Twilio, with the twilio library's validator."""

from fastapi import HTTPException, Request
from twilio.request_validator import RequestValidator

from api.config import Settings


def public_url(request: Request, settings: Settings) -> str:
    """Return the address Twilio called: PUBLIC_BASE_URL, the path and the query as sent."""
    url = settings.public_base_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


async def verified_form(request: Request, settings: Settings) -> dict[str, str]:
    """Return the webhook's form fields, or refuse with 403 if the signature is missing or wrong."""
    if not settings.twilio_auth_token:
        raise HTTPException(403, "Twilio is not configured here, so no webhook can be trusted.")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        raise HTTPException(403, "Missing X-Twilio-Signature.")
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise HTTPException(415, "Twilio webhooks are form-encoded.")
    form = await request.form()
    params = {key: str(value) for key, value in form.multi_items()}
    if not RequestValidator(settings.twilio_auth_token).validate(public_url(request, settings), params, signature):
        raise HTTPException(403, "The X-Twilio-Signature does not match.")
    return params
