"""A small client for the Rasa engine's REST channel and the action server's health check."""

from dataclasses import dataclass

import httpx


class EngineUnavailable(Exception):
    """Rasa did not give a usable answer in time."""


@dataclass
class ComponentHealth:
    """Whether one component answered its health check."""

    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"status": "ok" if self.ok else "down", "detail": self.detail}


class RasaClient:
    """Talk to Rasa over HTTP with a timeout."""

    def __init__(
        self,
        *,
        rasa_url: str,
        action_server_url: str,
        timeout: float,
        health_timeout: float,
        transport: httpx.BaseTransport | None = None,
    ):
        self.rasa_url = rasa_url.rstrip("/")
        self.action_server_url = action_server_url.rstrip("/")
        self.timeout = timeout
        self.health_timeout = health_timeout
        self._http = httpx.Client(transport=transport)

    def send(self, *, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        """Send a message to the REST channel and return the bot's replies."""
        try:
            response = self._http.post(
                f"{self.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata or {}},
                timeout=self.timeout,
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise EngineUnavailable(type(error).__name__) from error
        if not isinstance(replies, list):
            raise EngineUnavailable("unexpected reply shape")
        return [reply for reply in replies if isinstance(reply, dict)]

    def rasa_health(self) -> ComponentHealth:
        """Check that Rasa answers on its root URL."""
        return self._check(f"{self.rasa_url}/")

    def action_server_health(self) -> ComponentHealth:
        """Check that the action server answers on /health."""
        return self._check(f"{self.action_server_url}/health")

    def _check(self, url: str) -> ComponentHealth:
        try:
            response = self._http.get(url, timeout=self.health_timeout)
        except httpx.HTTPError as error:
            return ComponentHealth(ok=False, detail=type(error).__name__)
        if response.status_code != 200:
            return ComponentHealth(ok=False, detail=f"HTTP {response.status_code}")
        return ComponentHealth(ok=True, detail=response.text.strip()[:80])

    def close(self) -> None:
        self._http.close()
