"""Turn raw SMS tokens (typos, text-speak, leetspeak, stretched letters, emoji) into canonical words."""

import re
from functools import lru_cache

# Characters replaced before tokenising; every replacement keeps the text length, so offsets hold.
_SAME_LENGTH = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"',
    "\ufe0f": " ", "\ufe0e": " ", "\u200d": " ", "\u200b": " ", "\u00a0": " ",
    "\u2026": ".",
})

_REPEAT_3 = re.compile(r"(.)\1{2,}")
_REPEAT_2 = re.compile(r"(.)\1+")
_NUMBER_X = re.compile(r"^x?(\d+)(?:x|yo|yrs?|y/o)?$")
_SKIN_TONE = re.compile("[\U0001F3FB-\U0001F3FF]")


def prepare_text(text):
    """Return text lower-cased with look-alike characters mapped, with exactly the same length."""
    text = text.translate(_SAME_LENGTH)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def _deletions(word):
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _within_one_edit(a, b):
    """True when a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    return any(a == b[:i] + b[i + 1:] for i in range(len(b)))


class Normaliser:
    """Maps one lower-cased token to the canonical form the rules are written in."""

    def __init__(self, spelling, emoji, leet, fuzzy, vocabulary):
        self.spelling = dict(spelling)
        self.emoji = dict(emoji)
        self.leet = {k: list(v) for k, v in leet.items()}
        self.vocabulary = set(vocabulary) | set(self.spelling.values()) | set(self.spelling)
        self.fuzzy_index = {}
        for word in fuzzy:
            for key in _deletions(word) | {word}:
                self.fuzzy_index.setdefault(key, set()).add(word)
        self.norm = lru_cache(maxsize=65536)(self._norm)

    def _known(self, word):
        if word in self.spelling:
            return self.spelling[word]
        if word in self.vocabulary:
            return word
        return None

    def _norm(self, token):
        known = self._known(token)
        if known is not None:
            return known
        stripped = _SKIN_TONE.sub("", token)
        if stripped in self.emoji:
            return self.emoji[stripped]
        if stripped and all(not c.isalnum() for c in stripped):
            if stripped[0] in self.emoji:
                return self.emoji[stripped[0]]
            return token
        if len(token) > 4 and token.endswith(("in", "in'")) and token.rstrip("'").isalpha():
            dropped_g = self._known(token.rstrip("'") + "g")
            if dropped_g is not None:
                return dropped_g
        number = _NUMBER_X.match(token)
        if number:
            return number.group(1)
        if any(c in self.leet for c in token) and any(c.isalpha() for c in token):
            for candidate in self._leet_candidates(token):
                known = self._known(candidate) or self._known(_REPEAT_2.sub(r"\1", candidate))
                if known is not None:
                    return known
        if _REPEAT_3.search(token) or (len(token) > 3 and _REPEAT_2.search(token)):
            for candidate in (_REPEAT_3.sub(r"\1\1", token), _REPEAT_2.sub(r"\1", token)):
                known = self._known(candidate)
                if known is not None:
                    return known
        if len(token) >= 6 and token.isalpha():
            matches = set()
            for key in _deletions(token) | {token}:
                for word in self.fuzzy_index.get(key, ()):
                    if _within_one_edit(token, word):
                        matches.add(word)
            if len(matches) == 1:
                word = matches.pop()
                return self.spelling.get(word, word)
        return token

    def _leet_candidates(self, token):
        candidates = [""]
        for c in token:
            options = self.leet.get(c, [c]) if c in self.leet else [c]
            candidates = [prefix + o for prefix in candidates for o in options]
            if len(candidates) > 16:
                break
        return candidates

    def norm_tokens(self, words):
        """Normalise a sequence of lower-cased token texts, using neighbours for "2" = "to"."""
        norms = [self.norm(w) for w in words]
        for i, w in enumerate(words):
            if w == "2" and 0 < i < len(words) - 1 and norms[i - 1] in _TO_BEFORE and words[i + 1].isalpha():
                norms[i] = "to"
        return norms


_TO_BEFORE = {"want", "going", "have", "need", "tried", "try", "trying", "wanted", "got", "used", "able",
              "scared", "afraid", "like", "love", "hate", "deserve", "ready", "planning", "plan", "about", "wish"}
