"""Tell a young person who will get back to them about their social worker, and when."""

from datetime import datetime, timezone
from typing import Any, Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from api.oncall.hours import describe_next_opening, is_office_hours


def social_worker_reply(moment: datetime) -> str:
    """Return the reply for a request to reach the social worker at this moment."""
    if is_office_hours(moment):
        return (
            "I'll let your social worker's team know you want to talk. "
            "Your social worker, or the duty social worker if they're away, "
            "will get back to you today, before 5pm."
        )
    return (
        "The office is closed right now, so I'll pass your message to your social worker's team "
        f"and they'll get back to you {describe_next_opening(moment)}. "
        "If you need someone tonight, the Emergency Duty Team is on call. "
        "If you're in danger, call 999."
    )


def now_utc() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


class ActionSocialWorkerInfo(Action):
    """Say who will get back to the young person and when."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or now_utc  # a module function: the action server pickles actions

    def name(self) -> str:
        return "action_social_worker_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=social_worker_reply(self.clock()))
        return []
