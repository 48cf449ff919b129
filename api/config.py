"""Settings read from the environment, with defaults that work on a laptop."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration of the api process."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'careline.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 6.0
    health_timeout_seconds: float = 2.0
    max_message_chars: int = 2000
    max_body_bytes: int = 64 * 1024

    # Where staff links point, and what Twilio signs webhooks against (no trailing slash).
    public_base_url: str = "http://127.0.0.1:8000"
    # Signs one-time acknowledgement links; set a long random value in production.
    secret_key: str = "dev-only-secret-change-me"

    # Encrypts young people's phone numbers and keys their lookup hash; derived from SECRET_KEY if unset.
    phone_key: str | None = None

    # SMS from young people: replies never pass this many texts a minute per number.
    sms_rate_limit_per_minute: int = 8

    # On-call: the team's rota, loaded by `python -m api.oncall.load` (make run loads a demo one).
    oncall_rota_file: str | None = None

    # SMS through Twilio; with no credentials, messages stay in the local outbox page.
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    twilio_api_base_url: str | None = None  # default: Twilio's own; tests point it at a fake
    twilio_timeout_seconds: float = 10.0

    # The outbox worker.
    worker_poll_seconds: float = 0.5
    worker_lease_seconds: float = 60.0
    # A takeover with no word from the worker for this long goes back to the bot.
    takeover_idle_seconds: int = 20 * 60


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process, read once."""
    return Settings()
