"""Decide whether a matched disclosure is negated ("i'd never kill myself", "nobody hurt me")."""

LOOKBACK = 6


class NegationScope:
    """A negator governs a match when only auxiliaries, pronouns and adverbs stand between them."""

    def __init__(self, negators, passthrough):
        self.negators = frozenset(negators) - {"no", "nah", "nope"}
        self.passthrough = frozenset(passthrough)

    def is_negated(self, norms, token_message, start):
        """True when a negator before token `start` (same message, same clause) scopes over it."""
        message = token_message[start]
        j, steps = start - 1, 0
        while j >= 0 and steps < LOOKBACK and token_message[j] == message:
            word = norms[j]
            if word in self.negators:
                return True
            if word == "one" and j > 0 and norms[j - 1] == "no":
                return True
            if word not in self.passthrough:
                return False
            j -= 1
            steps += 1
        return False
