"""Rasa NLU component that attaches the safeguarding assessment to every message (engine env only)."""

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.safeguarding import assess

SAFEGUARDING_KEY = "safeguarding"
MAX_HISTORY = 3


def history_from(message: Message) -> List[str]:
    """Return the earlier messages the api sent along in the metadata, oldest first."""
    metadata = message.get("metadata") or {}
    history = metadata.get("history") if isinstance(metadata, dict) else None
    if not isinstance(history, list):
        return []
    return [str(text) for text in history[-MAX_HISTORY:]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafeguardingAssessor(GraphComponent):
    """Run the safeguarding detector on each message and put its assessment in the parse data."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafeguardingAssessor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Attach the assessment of each message, with its conversation's recent history."""
        for message in messages:
            text: Optional[str] = message.get("text")
            if not text or text.startswith("/"):
                assessment = assess("").to_dict()  # button payloads carry no disclosure
            else:
                assessment = assess(text, history=history_from(message)).to_dict()
            message.set(SAFEGUARDING_KEY, assessment, add_to_output=True)
        return messages

    def process_training_data(self, training_data):
        """Training data needs no assessment."""
        return training_data
