"""Shared request dependencies."""

from typing import Annotated

from fastapi import Depends, Request

from api.rasa_client import RasaClient


def get_rasa(request: Request) -> RasaClient:
    """Return the app's Rasa client."""
    return request.app.state.rasa


Rasa = Annotated[RasaClient, Depends(get_rasa)]
