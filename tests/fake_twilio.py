"""A Twilio-compatible fake for tests and benchmarks: takes messages, lists them, fails on demand."""

import asyncio
import base64
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"
FROM_NUMBER = "+447700900999"


@dataclass
class Received:
    """One message the fake took."""

    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    at: float  # time.monotonic() when it arrived
    created: datetime


@dataclass
class Plan:
    """What the next requests should meet: an error status or a slow answer."""

    fail_status: int | None = None
    fail_times: int = 0
    slow_seconds: float = 0.0
    slow_times: int = 0
    lookup_fail_times: int = 0


class FakeTwilio:
    """Runs the fake on a local port in a thread; `base_url` goes into TWILIO_API_BASE_URL."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.plan = Plan()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.app = self._build()
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.plan = Plan()

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next sends with this HTTP status, without taking the message."""
        with self.lock:
            self.plan.fail_status, self.plan.fail_times = status, times

    def slow_next(self, seconds: float, times: int = 1) -> None:
        """Take the next messages but answer only after this long (the client times out)."""
        with self.lock:
            self.plan.slow_seconds, self.plan.slow_times = seconds, times

    def fail_lookups(self, times: int) -> None:
        with self.lock:
            self.plan.lookup_fail_times = times

    def to(self, number: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if m.to == number]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until at least `count` messages arrived; return them all."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def wait_until(self, wanted, timeout: float = 10.0) -> Received | None:
        """Wait for the first message for which wanted(message) is true; None if none came in time."""
        with self.arrived:
            return self.arrived.wait_for(lambda: next((m for m in self.messages if wanted(m)), None), timeout)

    def status_report(self, public_base_url: str, message: Received, status: str) -> tuple[str, dict, dict]:
        """Return (path, form, headers) of a signed delivery report, as Twilio would post it."""
        params = {"MessageSid": message.sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID, "To": message.to}
        url = message.status_callback or f"{public_base_url}/sms/twilio/status"
        return signed(public_base_url, url[len(public_base_url):], params)

    def _build(self) -> FastAPI:
        app = FastAPI()
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

        def unauthorised(request: Request) -> JSONResponse | None:
            if request.headers.get("authorization") != expected:
                return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
            return None

        @app.post("/2010-04-01/Accounts/{account}/Messages.json")
        async def create(account: str, request: Request):
            if (problem := unauthorised(request)) is not None:
                return problem
            form = await request.form()
            with self.lock:
                if self.plan.fail_times > 0:
                    self.plan.fail_times -= 1
                    status = self.plan.fail_status or 500
                    return JSONResponse({"code": 20500, "message": "Internal error", "status": status}, status_code=status)
                slow = 0.0
                if self.plan.slow_times > 0:
                    self.plan.slow_times -= 1
                    slow = self.plan.slow_seconds
                message = Received(
                    sid="SM" + secrets.token_hex(16),
                    to=str(form.get("To")),
                    from_=str(form.get("From")),
                    body=str(form.get("Body")),
                    status_callback=form.get("StatusCallback"),
                    at=time.monotonic(),
                    created=datetime.now(timezone.utc),
                )
                self.messages.append(message)
                self.arrived.notify_all()
            if slow:
                await asyncio.sleep(slow)
            return JSONResponse(_resource(account, message), status_code=201)

        @app.get("/2010-04-01/Accounts/{account}/Messages.json")
        async def listing(account: str, request: Request):
            if (problem := unauthorised(request)) is not None:
                return problem
            with self.lock:
                if self.plan.lookup_fail_times > 0:
                    self.plan.lookup_fail_times -= 1
                    return JSONResponse({"code": 20500, "message": "Internal error", "status": 500}, status_code=500)
                to = request.query_params.get("To")
                found = [m for m in reversed(self.messages) if to is None or m.to == to]
            size = int(request.query_params.get("PageSize", 50))
            return {
                "messages": [_resource(account, m) for m in found[:size]],
                "next_page_uri": None,
                "page": 0,
                "page_size": size,
                "uri": f"/2010-04-01/Accounts/{account}/Messages.json",
            }

        return app

    def start(self) -> "FakeTwilio":
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Twilio did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True


def signed(public_base_url: str, path: str, params: dict, token: str = AUTH_TOKEN) -> tuple[str, dict, dict]:
    """Return (path, form, headers) of a webhook request signed as Twilio signs it."""
    signature = RequestValidator(token).compute_signature(public_base_url + path, params)
    return path, params, {"X-Twilio-Signature": signature}


def _resource(account: str, message: Received) -> dict:
    return {
        "sid": message.sid,
        "account_sid": account,
        "to": message.to,
        "from": message.from_,
        "body": message.body,
        "status": "queued",
        "date_created": format_datetime(message.created, usegmt=True),
        "date_sent": None,
        "num_segments": "1",
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{message.sid}.json",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    fake = FakeTwilio().start()
    print(f"fake Twilio on {fake.base_url} (account {ACCOUNT_SID}, token {AUTH_TOKEN})")
    threading.Event().wait()
