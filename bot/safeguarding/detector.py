"""The detector: tokenise a window of messages, match the rules, score, and report evidence."""

import bisect
import re
import threading

from .assessment import Assessment, Evidence
from .classifier import CATEGORIES, Classifier, features, rule_features, vetoed
from .lexicon import expand_word, load_classes, load_json, load_rules
from .negation import NegationScope
from .normalise import Normaliser, prepare_text
from .patterns import PatternCompiler, RequirementMasks, could_match, gate_words, required_word_sets
from .scoring import RANK, Scorer, limiting_cues

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

    def __init__(self, classifier="saved"):
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
        self.requirements = RequirementMasks()
        limiting = limiting_cues(self.sections)
        for section in self.sections:
            self.by_key[self.nlp.vocab.strings.add(section.key)] = section
            for line in section.patterns:
                compiled = compiler.compile(line, exact=section.categories[0] in limiting)
                if not compiled:
                    continue
                matcher = Matcher(self.nlp.vocab, validate=False)
                matcher.add(section.key, compiled, greedy="LONGEST")
                index = len(self.line_matchers)
                self.line_matchers.append((matcher, self.requirements.add(required_word_sets(compiled))))
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
        self.classifier = Classifier.load() if classifier == "saved" else classifier
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
            satisfied = self.requirements.of(present)
            raw = []
            for index in sorted(lines):
                matcher, requirements = self.line_matchers[index]
                if could_match(requirements, satisfied):
                    raw.extend(matcher(doc))
            spans = [(t.idx, t.idx + len(t.text)) for t in doc]
        token_message = [bisect.bisect_right(starts, s) - 1 for s, _ in spans]
        matches = [(self.by_key[key], start, end) for key, start, end in raw]
        return {"words": words, "norms": norms, "spans": spans, "token_message": token_message,
                "matches": matches, "starts": starts, "maps": maps}

    def assess(self, text, history=None):
        """Assess `text`, reading up to HISTORY_WINDOW previous inbound messages (oldest first) for context."""
        messages, a, (severity, categories, signals) = self._apply_rules(text, history)
        current = len(messages) - 1
        evidence = self._evidence(signals, messages, a, current)
        if self.classifier is None:
            return Assessment(RANK[severity] >= RANK[ESCALATE_FROM], severity, categories, evidence)
        per_message = self._norms_by_message(a, len(messages))
        rows = self.classifier.rows(self._model_features(per_message, severity, categories, signals))
        return self._decide(rows, per_message[current], a, messages, severity, categories, evidence)

    def model_features(self, text, history=None):
        """The classifier's features for a message: its words, its history's words and the rules' verdict."""
        messages, a, verdict = self._apply_rules(text, history)
        return self._model_features(self._norms_by_message(a, len(messages)), *verdict)

    def _apply_rules(self, text, history):
        history = [h for h in (history or []) if isinstance(h, str)][-HISTORY_WINDOW:]
        messages = history + [text if isinstance(text, str) else ""]
        a = self.analyse(messages)
        verdict = self.scorer.score(a["matches"], a["norms"], a["token_message"], len(messages) - 1)
        return messages, a, verdict

    @staticmethod
    def _model_features(per_message, severity, categories, signals):
        return features(per_message[-1], per_message[:-1], rule_features(severity, categories, signals))

    @staticmethod
    def _norms_by_message(a, count):
        per_message = [[] for _ in range(count)]
        for norm, m in zip(a["norms"], a["token_message"]):
            per_message[m].append(norm)
        return per_message

    def _decide(self, rows, norms, a, messages, severity, categories, evidence):
        """Page when the rules or the model say so; the model also raises the severity. It lowers one only
        from medium or high to low, when it does not page itself and is nearly sure nothing is wrong (below
        its veto threshold: a lesson, a joke, harm long over). Categories come from
        the rules when they page (they name what matched), plus the model's when it raised the severity (they
        say why) or is sure of them; from the model alone when only it pages."""
        model = self.classifier
        paging = model.paging_probabilities(rows)
        model_pages = model.pages(paging)
        if not model_pages and vetoed(severity, paging[0], model.veto):
            return Assessment(False, "low", categories, evidence)
        rules_escalate = RANK[severity] >= RANK[ESCALATE_FROM]
        if not (rules_escalate or model_pages):
            return Assessment(False, severity, categories, evidence)
        prediction = model.predict(rows, paging)
        p = prediction.probabilities
        if not rules_escalate:
            severity, categories = "medium", list(prediction.categories)
        elif RANK[prediction.severity] > RANK[severity]:
            categories = sorted(set(categories) | set(prediction.categories))
        added = [c for c in CATEGORIES if p[c] >= model.sure_category and c not in categories]
        categories = sorted(set(categories) | set(added))
        severity = max(severity, prediction.severity, key=RANK.get)
        if prediction.escalate or added:
            category = next((c for c in prediction.categories + tuple(added) if c in categories), categories[0])
            evidence = self._model_evidence(model.evidence_words(norms), category, a, messages, evidence)
        return Assessment(True, severity, categories, evidence)

    def _model_evidence(self, words, category, a, messages, evidence):
        """Add the words that pushed the model hardest towards paging, as evidence in the current message."""
        current = len(messages) - 1
        found = set(evidence)
        for token, m in enumerate(a["token_message"]):
            if m == current and a["norms"][token] in words:
                start, end = _local_span(a, m, token, token + 1)
                found.add(Evidence(category, messages[m][start:end], start, end, 0))
        return sorted(found, key=lambda e: (e.message, e.start, e.end, e.category))

    def _evidence(self, signals, messages, a, current):
        out = set()
        for signal in signals:
            ranges = signal.spans or ((signal.start, signal.end),)
            for start_tok, end_tok in ranges:
                for m in sorted({a["token_message"][i] for i in range(start_tok, end_tok)}):
                    toks = [i for i in range(start_tok, end_tok) if a["token_message"][i] == m]
                    start, end = _local_span(a, m, toks[0], toks[-1] + 1)
                    for category in signal.categories:
                        out.add(Evidence(category, messages[m][start:end], start, end, m - current))
        return sorted(out, key=lambda e: (e.message, e.start, e.end, e.category))


def _local_span(a, m, first_token, end_token):
    """Character offsets in message m's original text of tokens first_token..end_token-1."""
    start = a["spans"][first_token][0] - a["starts"][m]
    end = a["spans"][end_token - 1][1] - a["starts"][m]
    index = a["maps"][m]
    if index is not None:
        start, end = index[start], index[end - 1] + 1
    return start, end


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
