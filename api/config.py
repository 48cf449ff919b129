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


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process, read once."""
    return Settings()
