"""Compile the rules.txt pattern notation into spaCy Matcher token patterns."""

import itertools
import re

from .lexicon import expand_word

NUMBER_SPEC = {"NORM": {"REGEX": r"^\d+$"}}
_CONTRACTION = re.compile(r" '(m|s|re|ve|ll|d)\b")
MAX_PATTERNS_PER_LINE = 2000


def _is_inflected(body):
    """A pattern word written "verb+": match the verb in any inflection (see lexicon.inflect)."""
    return len(body) > 1 and body.endswith("+") and body[:-1].replace("'", "").isalpha()


def _matching_paren(text, open_at):
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError(f"unbalanced parentheses: {text}")


def split_alternatives(body):
    """Split on "|" outside nested parentheses."""
    out, depth, current = [], 0, []
    for c in body:
        if c == "|" and depth == 0:
            out.append("".join(current))
            current = []
            continue
        depth += c == "("
        depth -= c == ")"
        current.append(c)
    out.append("".join(current))
    return out


def split_items(pattern):
    """Split a pattern line into items: words, (groups) and their "?" suffixes."""
    items, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c.isspace():
            i += 1
        elif c == "(":
            close = _matching_paren(pattern, i)
            j = close + 1
            optional = j < n and pattern[j] == "?"
            items.append(("group", pattern[i + 1:close], optional))
            i = j + (1 if optional else 0)
        else:
            j = i
            while j < n and not pattern[j].isspace():
                if pattern[j] == "(" and j > i and pattern[j - 1] == "|":
                    j = _matching_paren(pattern, j)
                j += 1
            word = pattern[i:j]
            optional = word.endswith("?") and len(word) > 1
            items.append(("word", word[:-1] if optional else word, optional))
            i = j
    return items


class PatternCompiler:
    """Expands one pattern line into Matcher patterns, normalising literal words like the text."""

    def __init__(self, tokenizer, normaliser, classes, groups):
        self.tokenizer = tokenizer
        self.normaliser = normaliser
        self.groups = groups
        self.warnings = []
        self.exact = False  # compile() sets it per line
        self.classes = {}
        for name, words in classes.items():
            norms = set()
            for word in words:
                tokens = self.literal(word)
                if len(tokens) == 1:
                    norms.add(tokens[0])
                else:
                    self.warnings.append(f"class {name}: {word!r} is not one token")
            self.classes[name] = sorted(norms)

    def literal(self, text):
        """Normalised tokens of a run of literal words, tokenised exactly as message text is."""
        text = _CONTRACTION.sub(r"'\1", text)
        from .normalise import prepare_text

        words = [t.text for t in self.tokenizer(prepare_text(text)) if not t.is_space]
        return self.normaliser.norm_tokens(words)

    def compile(self, pattern, exact=False):
        """Return a list of Matcher patterns (lists of token dicts) for one line. With exact, multi-word
        alternatives are folded without accepting combinations nobody wrote (see _fold_by_length)."""
        self.exact = exact
        branches_per_item = [self._item_branches(item) for item in split_items(pattern)]
        total = 1
        for branches in branches_per_item:
            total *= len(branches)
        if total > MAX_PATTERNS_PER_LINE:
            raise ValueError(f"pattern expands to {total} alternatives: {pattern}")
        out = []
        for combo in itertools.product(*branches_per_item):
            seq = [spec for branch in combo for spec in branch]
            if any("OP" not in spec or spec["OP"] not in ("?",) and not spec["OP"].startswith("{0") for spec in seq):
                out.append(seq)
        return out

    def _item_branches(self, item):
        kind, body, optional = item
        if kind == "word" and "|" not in body:
            branches = self._phrase_branches(body)
        else:
            branches = []
            for alternative in split_alternatives(body):
                alternative = alternative.strip()
                if alternative:
                    branches.extend(self._phrase_branches(alternative))
        return self._merge(branches, optional)

    def _phrase_branches(self, phrase):
        """All token-spec sequences one alternative phrase can stand for."""
        parts, literal_run = [], []

        def flush():
            if literal_run:
                parts.append([[{"NORM": n} for n in self.literal(" ".join(literal_run))]])
                literal_run.clear()

        for kind, body, optional in split_items(phrase):
            if kind == "group" or (body and body[0] in "@%*!" or body == "NUM" or _is_inflected(body)) or optional:
                flush()
                parts.append(self._item_branches((kind, body, optional)) if kind == "group" or optional
                             else self._special(body))
            else:
                literal_run.append(body)
        flush()
        return [[spec for branch in combo for spec in branch] for combo in itertools.product(*parts)]

    def _special(self, body):
        if body == "NUM":
            return [[dict(NUMBER_SPEC)]]
        if body == "*":
            return [[{"OP": "?"}]]
        if body.startswith("*") and body[1:].isdigit():
            return [[{"OP": "{0,%s}" % body[1:]}]]
        if body.startswith("!") and len(body) > 1:
            excluded = set()
            for word in body[1:].split(","):
                excluded.update(self.literal(word))
            return [[{"NORM": {"NOT_IN": sorted(excluded)}}]]
        if _is_inflected(body):
            norms = set()
            for form in expand_word(body):
                norms.update(self.literal(form))
            return [[{"NORM": {"IN": sorted(norms)}}]]
        if body.startswith("@"):
            if body[1:] not in self.classes:
                raise ValueError(f"unknown class {body}")
            return [[{"NORM": {"IN": self.classes[body[1:]]}}]]
        if body.startswith("%"):
            if body[1:] not in self.groups:
                raise ValueError(f"unknown group {body}")
            branches = []
            for phrase in self.groups[body[1:]]:
                branches.extend(self._phrase_branches(phrase))
            return self._merge(branches, False)
        return [[{"NORM": n} for n in self.literal(body)]]

    def _merge(self, branches, optional):
        """Fold one-token alternatives into a single NORM IN spec; keep longer ones as branches."""
        single, multi, seen = set(), [], set()
        others = []
        for branch in branches:
            if len(branch) == 1 and set(branch[0]) == {"NORM"}:
                value = branch[0]["NORM"]
                if isinstance(value, str):
                    single.add(value)
                elif set(value) == {"IN"}:
                    single.update(value["IN"])
                else:
                    others.append(branch)
            else:
                key = repr(branch)
                if key not in seen:
                    seen.add(key)
                    multi.append(branch)
        multi = _fold_by_length(multi, self.exact)
        merged = []
        if single:
            spec = {"NORM": next(iter(single))} if len(single) == 1 else {"NORM": {"IN": sorted(single)}}
            if optional and not multi and not others:
                spec = dict(spec, OP="?")
                return [[spec]]
            merged.append([spec])
        merged.extend(others)
        merged.extend(multi)
        if optional:
            if len(merged) == 1 and len(merged[0]) == 1 and "OP" not in merged[0][0]:
                return [[dict(merged[0][0], OP="?")]]
            merged.append([])
        return merged


def _plain_words(spec):
    """The word set of a spec that is only a NORM test, else None."""
    if set(spec) != {"NORM"}:
        return None
    value = spec["NORM"]
    if isinstance(value, str):
        return {value}
    if set(value) == {"IN"}:
        return set(value["IN"])
    return None


def _fold_by_length(branches, exact=False):
    """Fold multi-word alternatives of equal length into branches with a word set per position.

    By default all of one length fold into one branch: "(a man|this guy|some men)" becomes
    [a|this|some][man|guy|men], which also accepts "a guy", what a disclosure rule's writer meant anyway, and keeps
    the Matcher small. Context cues fold exactly (two branches merge only when they differ in one position), because
    a cue that over-matches caps or drops real disclosures: "(top boy|love island)" in _media must not match "a boy".
    """
    kept, plain = [], {}
    for branch in branches:
        words = [_plain_words(spec) for spec in branch]
        if any(w is None for w in words):
            kept.append(branch)
        else:
            plain.setdefault(len(branch), []).append([frozenset(w) for w in words])
    for length in sorted(plain):
        rows = plain[length]
        folded = _merge_exact(rows) if exact else [[frozenset().union(*column) for column in zip(*rows)]]
        for slots in folded:
            kept.append([{"NORM": next(iter(slot))} if len(slot) == 1 else {"NORM": {"IN": sorted(slot)}}
                         for slot in slots])
    return kept


def _merge_exact(rows):
    """Merge rows of word sets that agree in every position but one, until no two do."""
    changed = True
    while changed:
        changed = False
        for position in range(len(rows[0]) if rows else 0):
            groups = {}
            for row in rows:
                key = tuple(slot for i, slot in enumerate(row) if i != position)
                groups.setdefault(key, []).append(row)
            if len(groups) < len(rows):
                changed = True
                rows = [[*group[0][:position], frozenset().union(*(r[position] for r in group)),
                         *group[0][position + 1:]] for group in groups.values()]
    return rows


# Words too common to tell whether a rule could match; never chosen as a rule's gate word.
COMMON_WORDS = frozenset("""
i me my mine myself you your he him his she her they them their we us our it its a an the to and or but
is 's am are was were be been being do does did not have has had will would can could should may might
in on at of for with from by up out off so just like really that this there then than what when if as
all some any no one get got go going gone come coming know think want wanna now again still every
""".split())


def gate_words(patterns):
    """Words of which at least one must be in a message for any of these patterns to match, or None."""
    gate = set()
    for pattern in patterns:
        best, best_cost = None, None
        for spec in pattern:
            if "OP" in spec:
                continue
            norm = spec.get("NORM")
            words = {norm} if isinstance(norm, str) else set(norm["IN"]) if isinstance(norm, dict) and set(norm) == {"IN"} else None
            if words is None:
                continue
            cost = sum(1000 if w in COMMON_WORDS else 1 for w in words)
            if best_cost is None or cost < best_cost:
                best, best_cost = words, cost
        if best is None:
            return None
        gate |= best
    return frozenset(gate)


def _cost(words):
    return sum(1000 if w in COMMON_WORDS else 1 for w in words)


def required_word_sets(patterns):
    """What a message must contain for any of these patterns to match, as (core, alternatives).

    core: word sets every pattern needs (one word of each); alternatives: per pattern, the further
    word sets it needs. Rarer sets come first so a message is usually rejected on the first test.
    """
    tuples = set()
    for pattern in patterns:
        sets = set()
        for spec in pattern:
            if "OP" in spec:
                continue
            norm = spec.get("NORM")
            if isinstance(norm, str):
                sets.add(frozenset([norm]))
            elif isinstance(norm, dict) and set(norm) == {"IN"}:
                sets.add(frozenset(norm["IN"]))
        tuples.add(frozenset(sets))
    core = frozenset.intersection(*tuples) if tuples else frozenset()
    rest = [sorted(t - core, key=_cost) for t in tuples]
    if any(not r for r in rest):
        rest = []
    return tuple(sorted(core, key=_cost)), tuple(tuple(r) for r in sorted(rest, key=lambda r: _cost(r[0])))


class RequirementMasks:
    """Every rule line's required_word_sets() as bit masks (one bit per distinct word set), so telling
    whether a message could match a line is an AND of two integers rather than a walk over sets."""

    def __init__(self):
        self._bits = {}
        self._word_masks = {}

    def add(self, requirements):
        """The (core, alternatives) masks of one line's required_word_sets()."""
        core, alternatives = requirements
        return self._mask(core), tuple(self._mask(need) for need in alternatives)

    def of(self, present):
        """The mask of the word sets that the message words `present` satisfy."""
        mask = 0
        for word in present:
            mask |= self._word_masks.get(word, 0)
        return mask

    def _mask(self, word_sets):
        mask = 0
        for words in word_sets:
            bit = self._bits.get(words)
            if bit is None:
                bit = self._bits[words] = 1 << len(self._bits)
                for word in words:
                    self._word_masks[word] = self._word_masks.get(word, 0) | bit
            mask |= bit
        return mask


def could_match(masks, present):
    """True when a message whose RequirementMasks.of() is `present` satisfies a line's masks."""
    core, alternatives = masks
    if core & present != core:
        return False
    if not alternatives:
        return True
    for need in alternatives:
        if need & present == need:
            return True
    return False
