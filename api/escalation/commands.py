"""Read what a duty worker texts back: "ACK 4821", "ack4821", "Akc 4821", "acknowledged #4821"."""

import re
from dataclasses import dataclass

COMMAND = re.compile(r"^\s*([a-z]+)[\s:#.,-]*(\d{4})\b[\s.!]*(.*)$", re.IGNORECASE | re.DOTALL)
ACK_WORDS = ("ack", "acknowledge", "acknowledged", "accept", "ok")


@dataclass(frozen=True)
class Command:
    """A command from staff with the reference it names."""

    kind: str  # ack, or unknown
    reference: str | None


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def is_ack_word(word: str) -> bool:
    """Accept ACK and its usual typos (akc, acl, ac, ackk, acknowlege), but not other words (back, pack)."""
    word = word.lower()
    if word in ACK_WORDS:
        return True
    return word.startswith("a") and any(
        _distance(word, target) <= (1 if len(target) <= 3 else 2) for target in ACK_WORDS if target != "ok"
    )


def parse(text: str) -> Command:
    """Return what the text asks for; a reference is four digits."""
    match = COMMAND.match(text or "")
    if match and is_ack_word(match.group(1)):
        return Command("ack", match.group(2))
    words = (text or "").split()
    if words and is_ack_word(words[0]):
        return Command("ack", None)  # an ACK without a usable reference
    return Command("unknown", None)
