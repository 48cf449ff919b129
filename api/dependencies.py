"""Shared request dependencies."""

from typing import Annotated

from fastapi import Depends, Request

from api.config import Settings
from api.rasa_client import RasaClient


def get_rasa(request: Request) -> RasaClient:
    """Return the app's Rasa client."""
    return request.app.state.rasa


Rasa = Annotated[RasaClient, Depends(get_rasa)]


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]
