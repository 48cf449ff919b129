"""Requests and answers of the web chat."""

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.conversations.schemas import Reply

MAX_MESSAGE_CHARS = 2000
# Control characters other than tab and newline carry no meaning and PostgreSQL rejects NUL.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ChatMessageIn(BaseModel):
    """A message typed into the web chat."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str = Field(max_length=MAX_MESSAGE_CHARS)

    @field_validator("text")
    @classmethod
    def text_not_empty(cls, value: str) -> str:
        value = CONTROL_CHARS.sub("", value).strip()
        if not value:
            raise ValueError("empty")
        return value


class ChatMessageOut(BaseModel):
    """The replies to one web chat message."""

    replies: list[Reply]


class ChatUpdates(BaseModel):
    """Messages for the young person since the last one the page showed (a worker's replies)."""

    messages: list[Reply]
