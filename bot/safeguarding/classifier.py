"""The learned half of the detector: logistic regression over words, word pairs and letter n-grams.

The rules (rules.txt) know phrasing we wrote down; this model generalises from the labelled corpus in
corpus/ to wordings nobody wrote a rule for. It reads the same normalised tokens as the rules, so
text-speak and emoji are already mapped ("kms", "wanna d1e", a pill emoji), and letter n-grams catch
the misspellings the normaliser does not know. The weights are trained by train.py into
data/classifier.json; prediction uses only the standard library and numpy, so it gives the same answer
in the engine and the service environments.
"""

import base64
import json
import logging
import math
from dataclasses import dataclass

import numpy as np

from .lexicon import DATA_DIR

log = logging.getLogger(__name__)
MODEL_FILE = DATA_DIR / "classifier.json"
CATEGORIES = ("suicide", "self_harm", "sexual_abuse", "sexual_exploitation", "criminal_exploitation", "trafficking",
              "physical_abuse", "domestic_abuse", "neglect", "immediate_danger", "missing", "substance",
              "eating_disorder", "fgm_forced_marriage", "online_harm", "radicalisation")
HEADS = ("escalate", "high", "critical") + CATEGORIES
PAGING_HEADS = ("escalate", "critical")  # the heads that decide whether the model pages (model_pages)
CHAR_SIZES = (3, 4, 5)


FUNCTION_CLASSES = ("SELF", "OBJ", "SUBJ", "HE", "HIM", "HIS", "MY", "IS", "BE", "HAVE", "WILL", "ADV")
FUNCTION_WORDS = {"it", "its", "the", "a", "an", "to", "and", "of", "in", "on", "at", "for", "with", "that", "this",
                  "do", "does", "did", "not", "but", "or", "if", "when", "what", "there", "then", "me", "you", "i am",
                  "go", "one", "every", "after", "till", "gon", "na"}


def _context_words():
    with open(DATA_DIR / "classes.json", encoding="utf-8") as handle:
        data = json.load(handle)
    function = set(FUNCTION_WORDS).union(*(data["classes"][name] for name in FUNCTION_CLASSES))
    context = data["context"]
    return frozenset(context["negators"]), frozenset(context["clause_breaks"]), frozenset(function)


NEGATORS, CLAUSE_BREAKS, EVIDENCE_STOP_WORDS = _context_words()
NEGATION_REACH = 4
WORD_CACHE_SIZE = 50_000
VETOABLE = ("medium", "high")  # rules' verdicts the model may clear; never a critical one


def model_pages(paging, thresholds):
    """Whether the model pages on its own: its escalate probability is over its threshold, or the chance of a
    critical disclosure (escalate x critical given a disclosure) is over the lower critical-page threshold."""
    escalate, critical = paging
    return escalate >= thresholds["escalate"] or escalate * critical >= thresholds.get("critical_page", 1.0)


def vetoed(severity, escalate_probability, veto):
    """Whether the model clears the rules' page: a medium or high one, when the model's escalate probability
    is below its veto threshold (train.choose_veto: it cleared almost no real disclosure out of fold)."""
    return severity in VETOABLE and escalate_probability < veto


def _negated(norms):
    """Words within NEGATION_REACH words after a negator in the same clause ("nobody hurt me": hurt)."""
    out, left = [], 0
    for norm in norms:
        if norm in CLAUSE_BREAKS:
            left = 0
        elif norm in NEGATORS or norm.endswith(" not"):
            left = NEGATION_REACH
        elif left:
            out.append(norm)
            left -= 1
    return out


def _words(norms):
    """The normalised words of one message, without punctuation-only tokens."""
    return [n for n in norms if any(c.isalnum() for c in n)]


def rule_features(severity, categories, signals):
    """The rules' verdict as features: severity, categories, which rule sections matched and their notes."""
    out = {"r|severity=" + severity}
    out.update("r|category=" + c for c in categories)
    for signal in signals:
        if signal.section is not None:
            out.add("r|section=" + signal.section.key)
        out.update("r|note=" + note for note in signal.notes)
    return out


def word_features(word):
    """A word's own features: the word and the letter n-grams inside it with a space either side."""
    padded = " " + word + " "
    return ["w|" + word] + ["c|" + padded[i:i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def features(current, history=(), rules=()):
    """Feature strings for the current message's norms, the previous messages' words and the rules' verdict."""
    words = _words(current)
    out = {"bias"}
    out.update(rules)
    out.update("w|" + w for w in words)
    out.update("b|" + a + " " + b for a, b in zip(words, words[1:]))
    out.update("n|" + w for w in _negated(current))
    text = " " + " ".join(words) + " "
    out.update(["c|" + text[i:i + n] for n in CHAR_SIZES for i in range(len(text) - n + 1)])
    for norms in history:
        out.update("h|" + w for w in _words(norms))
    return out


@dataclass(frozen=True)
class Prediction:
    """Probabilities per head, and the decision the thresholds give."""

    probabilities: dict
    escalate: bool
    severity: str
    categories: tuple


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Classifier:
    """Weights per feature and head, and the thresholds chosen by cross-validation in train.py."""

    def __init__(self, vocabulary, weights, thresholds, corpus_hash=""):
        self.index = {feature: i for i, feature in enumerate(vocabulary)}
        self.weights = np.asarray(weights, dtype=np.float64)
        self.thresholds = dict(thresholds)
        self.veto = self.thresholds.get("veto", 0.0)
        self.sure_category = self.thresholds.get("sure_category", 1.0)
        self.corpus_hash = corpus_hash
        self._paging_weights = [self.weights[:, HEADS.index(head)].tolist() for head in PAGING_HEADS]
        self._escalate_weights = self._paging_weights[0]
        self._word_push = {}

    @classmethod
    def load(cls, path=MODEL_FILE):
        """Read data/classifier.json, or None (logged) when it does not exist."""
        if not path.exists():
            log.warning("no safeguarding classifier at %s: the rules alone decide", path)
            return None
        with open(path, encoding="utf-8") as handle:
            saved = json.load(handle)
        if tuple(saved.get("heads", ())) != HEADS:
            raise ValueError(f"{path} was trained for other heads; retrain: python -m bot.safeguarding.train")
        shape = (len(saved["vocabulary"]), len(HEADS))
        weights = np.frombuffer(base64.b64decode(saved["weights"]), dtype="<f4").reshape(shape)
        return cls(saved["vocabulary"], weights, saved["thresholds"], saved.get("corpus_hash", ""))

    def rows(self, feats):
        """The weight rows of the known features, in a fixed order so every environment sums them alike."""
        rows = [i for i in map(self.index.get, feats) if i is not None]
        rows.sort()
        return rows

    def scores(self, feats):
        """Raw head scores (log-odds) for a set of feature strings."""
        rows = self.rows(feats)
        if not rows:
            return np.zeros(len(HEADS))
        return self.weights[rows].sum(axis=0)

    def paging_probabilities(self, rows):
        """The escalate and critical heads' probabilities: all most messages need, so the other heads wait."""
        return tuple(1.0 / (1.0 + math.exp(-sum(map(weights.__getitem__, rows)))) for weights in self._paging_weights)

    def pages(self, paging):
        """Whether the model alone pages, given paging_probabilities()."""
        return model_pages(paging, self.thresholds)

    def predict(self, rows, paging=None):
        """Probabilities of every head and the thresholded decision, for the rows of a message's features."""
        p = _sigmoid(self.weights[rows].sum(axis=0) if rows else np.zeros(len(HEADS)))
        probabilities = dict(zip(HEADS, p.tolist()))
        paging = paging or self.paging_probabilities(rows)
        probabilities.update(zip(PAGING_HEADS, paging))
        t = self.thresholds
        if not self.pages(paging):
            return Prediction(probabilities, False, "none", ())
        if probabilities["critical"] >= t["critical"]:
            severity = "critical"
        elif probabilities["high"] >= t["high"]:
            severity = "high"
        else:
            severity = "medium"
        ranked = sorted(CATEGORIES, key=lambda c: -probabilities[c])
        categories = tuple(c for c in ranked if probabilities[c] >= t["category"]) or (ranked[0],)
        return Prediction(probabilities, True, severity, categories)

    def evidence_words(self, current):
        """The content words that pushed hardest towards escalating (at most three): each word's own weight
        plus the weights of the letter n-grams inside it."""
        weighted = []
        for word in set(_words(current)) - EVIDENCE_STOP_WORDS:
            contribution = self._push(word)
            if contribution > 0:
                weighted.append((-contribution, word))
        return tuple(word for _, word in sorted(weighted)[:3])

    def _push(self, word):
        """How far a word and its letter n-grams push towards escalating (remembered for the next message)."""
        push = self._word_push.get(word)
        if push is None:
            push = sum(map(self._escalate_weights.__getitem__, self.rows(word_features(word))))
            if len(self._word_push) < WORD_CACHE_SIZE:
                self._word_push[word] = push
        return push


def save(path, vocabulary, weights, thresholds, corpus_hash):
    """Write the model as JSON: the vocabulary, float32 weights in base64, the thresholds and the corpus hash."""
    data = np.ascontiguousarray(weights, dtype="<f4")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"_about": "Trained by python -m bot.safeguarding.train from bot/safeguarding/corpus; do not edit.",
                   "corpus_hash": corpus_hash, "heads": list(HEADS), "thresholds": thresholds,
                   "vocabulary": list(vocabulary), "weights": base64.b64encode(data.tobytes()).decode("ascii")},
                  handle, ensure_ascii=False, indent=0)
        handle.write("\n")
