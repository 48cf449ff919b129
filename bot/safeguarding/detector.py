"""The detector: tokenise a window of messages, match the rules, score, and report evidence."""

import bisect
import re
import threading

from .assessment import Assessment, Evidence
from .lexicon import expand_word, load_classes, load_json, load_rules
from .negation import NegationScope
from .normalise import Normaliser, prepare_text
from .patterns import PatternCompiler, could_match, gate_words, required_word_sets
from .scoring import RANK, Scorer

HISTORY_WINDOW = 3
ESCALATE_FROM = "medium"
_SPACES = re.compile(r"\s+")


def _squash(text):
    """Collapse whitespace runs to one space; return the text and a map back to original offsets."""
    if "  " not in text and not any(c in text for c in "\n\r\t\v\f"):
        return text, None
    out, index = [], []
    previous_space = False
    for i, c in enumerate(text):
        if c.isspace():
            if previous_space:
                continue
            out.append(" ")
            previous_space = True
        else:
            out.append(c)
            previous_space = False
        index.append(i)
    return "".join(out), index


class Detector:
    """Holds the tokenizer, normaliser and compiled rules; assess() is safe to call from many threads."""

    def __init__(self):
        import spacy
        from spacy.matcher import Matcher

        self.nlp = spacy.blank("en")
        normalise = load_json("normalise.json")
        classes = load_classes()
        self.sections = load_rules()
        for key in list(normalise["spelling"]):
            if any(c in key for c in "-/") and len(key) > 1:
                self.nlp.tokenizer.add_special_case(key, [{"ORTH": key}])
        vocabulary = {w for words in classes["classes"].values() for w in words}
        for section in self.sections:
            for pattern in section.patterns:
                for word in re.findall(r"[a-z][a-z']*\+?", pattern):
                    vocabulary.update(expand_word(word) if word.endswith("+") else [word])
        self.normaliser = Normaliser(normalise["spelling"], normalise["emoji"], normalise["leet"],
                                     normalise["fuzzy"], vocabulary)
        compiler = PatternCompiler(self.nlp.tokenizer, self.normaliser, classes["classes"], classes["groups"])
        self.line_matchers = []
        self.always = []
        self.by_gate_word = {}
        self.by_key = {}
        self.pattern_count = 0
        for section in self.sections:
            self.by_key[self.nlp.vocab.strings.add(section.key)] = section
            for line in section.patterns:
                compiled = compiler.compile(line)
                if not compiled:
                    continue
                matcher = Matcher(self.nlp.vocab, validate=False)
                matcher.add(section.key, compiled, greedy="LONGEST")
                index = len(self.line_matchers)
                self.line_matchers.append((matcher, required_word_sets(compiled)))
                self.pattern_count += len(compiled)
                gate = gate_words(compiled)
                if gate is None:
                    self.always.append(index)
                else:
                    for word in gate:
                        self.by_gate_word.setdefault(word, []).append(index)
        self.warnings = compiler.warnings
        context = classes["context"]
        self.scorer = Scorer(NegationScope(context["negators"], context["negation_passthrough"]))
        self._lock = threading.Lock()

    def analyse(self, messages):
        """Tokens, norms and matches for a list of messages joined in order (for tests and debugging)."""
        parts, maps, starts, position = [], [], [], 0
        for message in messages:
            squashed, index = _squash(prepare_text(message))
            starts.append(position)
            parts.append(squashed)
            maps.append(index)
            position += len(squashed) + 1
        combined = " ".join(parts)
        with self._lock:
            doc = self.nlp.tokenizer(combined)
            words = [t.text for t in doc]
            norms = self.normaliser.norm_tokens(words)
            for token, norm in zip(doc, norms):
                if token.norm_ != norm:
                    token.norm_ = norm
            present = set(norms)
            lines = set(self.always)
            for norm in present:
                lines.update(self.by_gate_word.get(norm, ()))
            raw = []
            for index in sorted(lines):
                matcher, requirements = self.line_matchers[index]
                if could_match(requirements, present):
                    raw.extend(matcher(doc))
            spans = [(t.idx, t.idx + len(t.text)) for t in doc]
        token_message = [bisect.bisect_right(starts, s) - 1 for s, _ in spans]
        matches = [(self.by_key[key], start, end) for key, start, end in raw]
        return {"words": words, "norms": norms, "spans": spans, "token_message": token_message,
                "matches": matches, "starts": starts, "maps": maps}

    def assess(self, text, history=None):
        """Assess `text`, reading up to HISTORY_WINDOW previous inbound messages (oldest first) for context."""
        history = [h for h in (history or []) if isinstance(h, str)][-HISTORY_WINDOW:]
        messages = history + [text if isinstance(text, str) else ""]
        a = self.analyse(messages)
        current = len(messages) - 1
        severity, categories, signals = self.scorer.score(a["matches"], a["norms"], a["token_message"], current)
        evidence = self._evidence(signals, messages, a, current)
        return Assessment(RANK[severity] >= RANK[ESCALATE_FROM], severity, categories, evidence)

    def _evidence(self, signals, messages, a, current):
        out = set()
        for signal in signals:
            ranges = signal.spans or ((signal.start, signal.end),)
            for start_tok, end_tok in ranges:
                for m in sorted({a["token_message"][i] for i in range(start_tok, end_tok)}):
                    toks = [i for i in range(start_tok, end_tok) if a["token_message"][i] == m]
                    local_start = a["spans"][toks[0]][0] - a["starts"][m]
                    local_end = a["spans"][toks[-1]][1] - a["starts"][m]
                    index = a["maps"][m]
                    if index is not None:
                        local_start, local_end = index[local_start], index[local_end - 1] + 1
                    for category in signal.categories:
                        out.add(Evidence(category, messages[m][local_start:local_end], local_start, local_end,
                                         m - current))
        return sorted(out, key=lambda e: (e.message, e.start, e.end, e.category))


_detector = None
_detector_lock = threading.Lock()


def get_detector():
    """The shared Detector, built on first use."""
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = Detector()
    return _detector


def assess(text, history=None):
    """Assess one inbound message, with the previous inbound messages of the conversation as history."""
    return get_detector().assess(text, history)
