"""Clear, kind error answers for bad requests, in one shape: {"error": {"code", "message"}}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.webchat.schemas import MAX_MESSAGE_CHARS


def error_response(status: int, code: str, message: str, **extra) -> JSONResponse:
    """Return an error in the one shape every client reads."""
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


def explain_validation(error: dict) -> tuple[int, str, str]:
    """Turn one pydantic error into a status, a code and words a young person understands."""
    kind = error.get("type", "")
    field = ".".join(str(part) for part in error.get("loc", ())[1:]) or "body"
    if kind == "json_invalid":
        return 400, "invalid_json", "The message could not be read. Please try sending it again."
    if kind == "extra_forbidden":
        return 422, "unknown_field", f"Unknown field: {field}."
    if kind == "missing":
        return 422, "missing_field", f"Missing field: {field}."
    if field == "text" and kind == "string_too_long":
        return (
            422,
            "text_too_long",
            f"That message is too long (the limit is {MAX_MESSAGE_CHARS:,} characters). "
            "Could you send it in smaller parts?",
        )
    if field == "text" and kind == "value_error":
        return 422, "text_empty", "Your message is empty. Type something, then press Send."
    if field == "body":
        return 422, "invalid_body", "Send a JSON object with conversation_id and text."
    if field == "conversation_id":
        return 422, "invalid_conversation", "This chat lost its place. Please reload the page."
    return 422, "invalid_request", f"The field {field} is not valid."


async def validation_error_handler(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """Answer the first validation problem in plain words."""
    errors = exc.errors()
    status, code, message = explain_validation(errors[0] if errors else {})
    return error_response(status, code, message)


async def http_error_handler(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Answer HTTP errors in the same shape."""
    return error_response(exc.status_code, "http_error", str(exc.detail))


class BodySizeLimit:
    """Refuse request bodies over a limit before reading them into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "body_too_large", "That message is far too big to send.")
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same clear shape."""
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
