"""Tell the young person a worker is being told now, and record the escalation."""

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from api.config import get_settings
from api.database.core import make_db_engine, make_session_factory
from api.escalation.service import confirm_by_engine
from bot.messages import ESCALATION_FOLLOW_UP_REPLIES, ESCALATION_REPLIES

log = logging.getLogger(__name__)


@lru_cache
def session_factory() -> sessionmaker[Session]:
    """Return this process's session factory, created on first use."""
    return make_session_factory(make_db_engine(get_settings().database_url))


def escalated_before(tracker: Tracker) -> bool:
    """Return True when this action already ran earlier in the conversation."""
    return any(
        event.get("event") == "action" and event.get("name") == "action_safeguarding_escalate"
        for event in tracker.events
    )


class ActionSafeguardingEscalate(Action):
    """Reply at once to a disclosure and make sure an escalation is on record."""

    def name(self) -> str:
        return "action_safeguarding_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        for text in ESCALATION_FOLLOW_UP_REPLIES if escalated_before(tracker) else ESCALATION_REPLIES:
            dispatcher.utter_message(text=text)
        assessment = tracker.latest_message.get("safeguarding") or {}
        try:
            with session_factory()() as db_session:
                confirm_by_engine(
                    db_session=db_session,
                    conversation_id=tracker.sender_id,
                    severity=assessment["severity"] if assessment.get("escalate") else "medium",
                    categories=assessment.get("categories", []),
                )
                db_session.commit()
        except Exception:  # the api has already recorded it; the young person still gets the reply
            log.exception("could not record the engine's confirmation of an escalation")
        return []
