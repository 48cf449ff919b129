"""Shapes of replies the young person sees, shared by every channel."""

from pydantic import BaseModel, ConfigDict


class ReplyButton(BaseModel):
    """A quick reply the young person can tap instead of typing."""

    title: str
    payload: str


class Reply(BaseModel):
    """One message from the service to the young person."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    buttons: list[ReplyButton] = []
    id: int | None = None  # the stored message, so a page that also polls shows it once
    author: str = "bot"  # bot, fallback, staff (a duty worker), system
