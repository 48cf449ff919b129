"""Start Rasa, the action server and the api as real processes on free ports, for end-to-end tests."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
ENGINE_BIN = ROOT / ".venv-engine" / "bin"
SERVICE_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    """Return a TCP port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float, process: subprocess.Popen, log: Path) -> None:
    """Wait until a URL answers 200, or fail with the process's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} process exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


class LiveStack:
    """Rasa, the action server and the api, each a real process, on a temporary database."""

    def __init__(self, workdir: Path, database_url: str | None = None, twilio=None) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make model` first")
        self.workdir = workdir
        self.rasa_port, self.actions_port, self.api_port = free_port(), free_port(), free_port()
        self.database_url = database_url or f"sqlite:///{workdir / 'careline.db'}"
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "RASA_URL": self.rasa_url,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(workdir / "rasa-tracker.db"),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PUBLIC_BASE_URL": self.api_url,
            "ONCALL_ROTA_FILE": str(ROOT / "api" / "oncall" / "demo_rota.yml"),
            "WORKER_POLL_SECONDS": "0.2",
        }
        if twilio is not None:
            from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

            self.env.update(
                TWILIO_ACCOUNT_SID=ACCOUNT_SID,
                TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                TWILIO_FROM_NUMBER=FROM_NUMBER,
                TWILIO_API_BASE_URL=twilio.base_url,
            )

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_rasa(self) -> None:
        """Start Rasa and wait until it has loaded the model."""
        process = self._start(
            "rasa",
            [
                str(ENGINE_BIN / "rasa"), "run", "--model", str(MODEL),
                "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                "--interface", "127.0.0.1", "--port", str(self.rasa_port),
            ],
        )
        wait_for(f"{self.rasa_url}/", 240, process, self.workdir / "rasa.log")

    def start(self) -> "LiveStack":
        """Start the action server, Rasa and the api (after migrating its database)."""
        actions = self._start(
            "actions",
            [str(SERVICE_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
        )
        for step in (["api.database.migrate"], ["api.oncall.load"], ["api.staff.users", "demo"]):
            subprocess.run([str(SERVICE_BIN / "python"), "-m", *step], cwd=ROOT, env=self.env, check=True)
        self._start("worker", [str(SERVICE_BIN / "python"), "-m", "api.worker"])
        api = self._start(
            "api",
            [str(SERVICE_BIN / "uvicorn"), "api.main:app", "--host", "127.0.0.1", "--port", str(self.api_port)],
        )
        self.start_rasa()
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", 60, actions, self.workdir / "actions.log")
        wait_for(f"{self.api_url}/health", 60, api, self.workdir / "api.log")
        return self

    def stop(self, name: str) -> None:
        """Stop one process, as an operator or a crash would."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def query(self, sql: str, **params) -> list:
        """The rows a read-only SQL query gives on the stack's database."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).all()
        finally:
            engine.dispose()

    def say(self, conversation_id: str, text: str) -> list[str]:
        """Send a web chat message through the api and return the reply texts."""
        response = httpx.post(
            f"{self.api_url}/chat/messages",
            json={"conversation_id": conversation_id, "text": text},
            timeout=30,
        )
        response.raise_for_status()
        return [reply["text"] for reply in response.json()["replies"]]
