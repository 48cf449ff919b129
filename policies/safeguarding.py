"""A Rasa policy that puts safeguarding above every other prediction (engine env only)."""

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

ESCALATION_ACTION = "action_safeguarding_escalate"
# RulePolicy has priority 4 (6 for its own fallbacks); ties are broken by priority, so we sit above all.
SAFEGUARDING_PRIORITY = 10


# Saying "I don't feel safe" in any words is asking for a human, even when no rule of the
# detector matches: a confident feel_unsafe intent escalates too.
FEEL_UNSAFE_INTENT = "feel_unsafe"
FEEL_UNSAFE_CONFIDENCE = 0.8


def needs_escalation(tracker: DialogueStateTracker) -> bool:
    """Return True when the latest message's assessment, or a confident feel_unsafe intent, says so."""
    parse_data = tracker.latest_message.parse_data or {}
    if (parse_data.get("safeguarding") or {}).get("escalate"):
        return True
    intent = parse_data.get("intent") or {}
    return intent.get("name") == FEEL_UNSAFE_INTENT and (intent.get("confidence") or 0) >= FEEL_UNSAFE_CONFIDENCE


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True
)
class SafeguardingPolicy(Policy):
    """Predict the escalation action, with full confidence, whenever the latest message needs it."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": SAFEGUARDING_PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the detector's rules decide."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Escalate after a flagged message, then listen; otherwise leave the turn to other policies."""
        probabilities = self._default_predictions(domain)
        latest_action = tracker.latest_action_name
        if latest_action == ACTION_LISTEN_NAME and needs_escalation(tracker):
            probabilities[domain.index_for_action(ESCALATION_ACTION)] = 1.0
        elif latest_action == ESCALATION_ACTION:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)
