"""Turn rule matches into a severity: context (negation, jokes, games, fiction, the past) and combinations.

Tags on rule sections that change the outcome:
  ideation / passive   suicidal thinking; raised to critical with a method, plan, dose or "tonight"/"now"
  method / lethality   how someone would do it; act = already done (overdose taken, bleeding)
  plan                 goodbye notes, giving things away; critical with a time word
  dose                 dropped unless the span holds a dose (a number of 4 or more, "all", "a packet")
  jokeable             low when the same message laughs ("lol", a crying-laughing emoji) or is about homework
  gameable             dropped when the same message is about a game or sport
  danger_ambiguous     "he's outside": low alone, critical with fear ("scared", "help") or a weapon, high next to abuse
  gift                 an adult giving things: low alone, raised next to an older age or secrecy
  need=_a,_b           dropped unless one of these cues is in the same message (a concept that only counts
                       with its qualifier: "not eaten in days" + "to be thin", "olders" + "make me"/"owe")
  unless=_a,_b         dropped when one of these cues is in the same message (the ordinary reading: "goodbye
                       to my old placement", "won't let me leave" said of carers, "doesn't pay me till friday")
  needcat=c1,c2        dropped unless another live signal in the window has one of these categories
                       ("doing it tonight" after "i've got the tablets")
  (the past)           capped at medium with a _historic cue and no _present one; at low when also _dealt_with
                       (police, court, the social worker) or _resolved ("stopped", "i'm ok now"), unless, for
                       _resolved, someone harmed them (abuse is worth telling whenever until services know);
                       at low too, with no _historic cue, when both _dealt_with and _resolved are there
  (_misunderstood)     capped at low: "but it was just my neighbour", "not saying i do", "hypothetically"
  up=_a,_b:severity    raised to severity when one of these cues is in the same message (not when negated
                       or joking): "won't let me leave" + "i'm in his flat" is critical
Context cues (sections named _something) never add a category themselves.
"""

from dataclasses import dataclass, field

from .lexicon import SEVERITIES

RANK = {name: i for i, name in enumerate(SEVERITIES)}
ABUSE = {"physical_abuse", "sexual_abuse", "domestic_abuse", "criminal_exploitation", "sexual_exploitation",
         "trafficking"}
TOLD_WHENEVER = ABUSE | {"fgm_forced_marriage", "radicalisation"}  # past harm by someone: told now is medium
CAPPED = {"negated", "fiction or lesson", "a misunderstanding or a question", "in the past and over"}
CONTRIBUTING_CUES = {"_money", "_sexual", "_older", "_child", "_time", "_fear", "_secret", "_gift"}
DOSE_WORDS = {"all", "whole", "entire", "packet", "packets", "box", "boxes", "bottle", "bottles", "loads", "lots",
              "handful", "too", "many", "pack", "tub", "tubs", "sheet", "sheets", "strips", "strip", "prescription", "load", "bunch", "much"}
UNITS = {"minutes", "hours", "mins", "miles", "pounds", "times", "percent", "%", "seconds", "days", "weeks",
         "months", "am", "pm", "a.m.", "p.m.", "o'clock", "quid", "p", "k", "followers", "likes", "streak"}
MIN_DOSE = 4


@dataclass
class Signal:
    """One matched rule: which section, which tokens, and the severity after context rules."""

    section: object
    start: int
    end: int
    messages: frozenset
    severity: str
    categories: tuple
    notes: list = field(default_factory=list)
    dropped: bool = False
    spans: tuple = ()

    @property
    def tags(self):
        return self.section.tags if self.section is not None else frozenset()

    def cap(self, severity, note):
        if RANK[self.severity] > RANK[severity]:
            self.severity = severity
        self.notes.append(note)

    def raise_to(self, severity, note):
        if RANK[self.severity] < RANK[severity]:
            self.severity = severity
            self.notes.append(note)


def _numbers(norms, start, end):
    out = []
    for i in range(start, end):
        if norms[i].isdigit():
            following = norms[i + 1] if i + 1 < len(norms) else ""
            out.append((int(norms[i]), following))
    return out


def _has_dose(norms, start, end):
    if any(norms[i] in DOSE_WORDS for i in range(start, end)):
        return True
    return any(value >= MIN_DOSE for value, _ in _numbers(norms, start, end))


def _age_in(norms, start, end, low, high):
    return any(low <= value <= high and following not in UNITS for value, following in _numbers(norms, start, end))


def limiting_cues(sections):
    """Names of the context cues that only lower or drop a signal (a joke, a lesson, the past): every cue but the
    ones a signal needs or is raised by. The rules compile these exactly (patterns._fold_by_length), because one
    that matches more than its writer spelled out silences real disclosures."""
    enabling = set(CONTRIBUTING_CUES) | {"_present", "_serious", "_fear", "_weapon"}
    for section in sections:
        enabling |= _tag_values(section.tags, "need=")
        for tag in section.tags:
            if tag.startswith("up="):
                enabling.update(tag[3:].partition(":")[0].split(","))
    return {s.categories[0] for s in sections if s.is_cue} - enabling


def _tag_values(tags, prefix):
    """The comma-separated values of every tag starting with prefix ("need=_a,_b" -> {"_a", "_b"})."""
    out = set()
    for tag in tags:
        if tag.startswith(prefix):
            out.update(v for v in tag[len(prefix):].split(",") if v)
    return out


class Scorer:
    """Applies the context and combination rules to the matches of one window of messages."""

    def __init__(self, negation):
        self.negation = negation

    def score(self, matches, norms, token_message, current):
        """matches: (section, start, end) triples. Returns (severity, categories, kept signals)."""
        cue_spans, signals = [], []
        for section, start, end in matches:
            messages = frozenset(token_message[start:end])
            if section.is_cue:
                name = section.categories[0]
                if "age_adult" in section.tags and not _age_in(norms, start, end, 18, 80):
                    continue
                if "age_child" in section.tags and not _age_in(norms, start, end, 8, 15):
                    continue
                cue_spans.append((name, start, end, messages))
            else:
                signals.append(Signal(section, start, end, messages, section.severity, section.categories))

        cues_in = {}
        for name, _, _, messages in cue_spans:
            for m in messages:
                cues_in.setdefault(m, set()).add(name)
        window_cues = set().union(*cues_in.values()) if cues_in else set()

        def cue_near(signal, name):
            return any(name in cues_in.get(m, ()) for m in signal.messages)

        ideation_in_window = False
        for signal in signals:
            self._context(signal, cue_spans, cue_near, norms, token_message)
        for signal in signals:
            needed = _tag_values(signal.tags, "needcat=")
            if needed and not signal.dropped and not any(
                    other is not signal and not other.dropped and needed & set(other.categories) for other in signals):
                signal.dropped = True
                signal.notes.append("no supporting signal")
        for signal in signals:
            for tag in signal.tags:
                if tag.startswith("up=") and not signal.dropped and "negated" not in signal.notes \
                        and "joking" not in signal.notes:
                    names, _, severity = tag[3:].partition(":")
                    if any(cue_near(signal, n) for n in names.split(",")):
                        signal.raise_to(severity, "raised by " + names)
        for signal in signals:
            if not signal.dropped and "ideation" in signal.tags and "suicide" in signal.categories \
                    and signal.severity in ("medium", "high"):
                ideation_in_window = True
        if ideation_in_window:
            for signal in signals:
                if signal.dropped and "benign_meds" in signal.notes:
                    signal.dropped = False
                    signal.notes.append("kept: ideation nearby")

        live = [s for s in signals if not s.dropped]
        contributes = any(current in s.messages for s in live) or bool(cues_in.get(current, set()) & CONTRIBUTING_CUES)
        if not contributes:
            return "none", [], []

        live.extend(self._combine(live, cue_spans, window_cues, norms))
        live = [s for s in live if s.severity != "none"]
        if live and not any(current in s.messages for s in live):
            top = max(live, key=lambda s: RANK[s.severity])
            for name, start, end, messages in cue_spans:
                if name in CONTRIBUTING_CUES and current in messages:
                    live.append(Signal(None, start, end, messages, top.severity, top.categories, ["context"]))
        severity = max((s.severity for s in live), key=RANK.get, default="none")
        categories = sorted({c for s in live for c in s.categories})
        return severity, categories, live

    def _context(self, signal, cue_spans, cue_near, norms, token_message):
        tags = signal.tags
        for name, start, end, _ in cue_spans:
            overlaps = start < signal.end and signal.start < end
            if not overlaps:
                continue
            if name == "_hyperbole" or (name.startswith("_not_") and name[5:] in signal.categories):
                signal.dropped = True
                signal.notes.append("hyperbole")
                return
        needed = _tag_values(tags, "need=")
        if needed and not any(cue_near(signal, name) for name in needed):
            signal.dropped = True
            signal.notes.append("qualifier missing")
            return
        unless = _tag_values(tags, "unless=")
        if unless and any(cue_near(signal, name) for name in unless):
            signal.dropped = True
            signal.notes.append("ordinary reading")
            return
        if "dose" in tags and not _has_dose(norms, signal.start, signal.end):
            signal.dropped = True
            signal.notes.append("no dose")
            return
        if "gameable" in tags and cue_near(signal, "_gaming"):
            signal.dropped = True
            signal.notes.append("game or sport")
            return
        if ("dose" in tags or "method" in tags) and cue_near(signal, "_benign_meds"):
            signal.dropped = True
            signal.notes.append("benign_meds")
            return
        if cue_near(signal, "_media") and not cue_near(signal, "_serious"):
            signal.cap("low", "fiction or lesson")
        if self.negation.is_negated(norms, token_message, signal.start):
            signal.cap("low", "negated")
            signal.notes.append("negated")
        joking = (cue_near(signal, "_laugh") or cue_near(signal, "_mundane")
                  or (cue_near(signal, "_embarrassed") and cue_near(signal, "_cry_emoji"))) \
            and not cue_near(signal, "_serious")
        if "jokeable_none" in tags and joking:
            signal.dropped = True
            signal.notes.append("joking")
            return
        if "jokeable_medium" in tags and not cue_near(signal, "_laugh"):
            joking = False
        if ("jokeable" in tags or "jokeable_medium" in tags) and joking:
            floor = "medium" if ({"method", "act", "lethality", "jokeable_medium"} & tags) else "low"
            signal.cap(floor, "joking")
            signal.notes.append("joking")
        if cue_near(signal, "_misunderstood"):
            signal.cap("low", "a misunderstanding or a question")
        if cue_near(signal, "_present"):
            return
        if cue_near(signal, "_historic"):
            over = cue_near(signal, "_dealt_with") or (
                cue_near(signal, "_resolved") and not set(signal.categories) & TOLD_WHENEVER)
            signal.cap("low" if over else "medium", "in the past and over" if over else "in the past")
        elif cue_near(signal, "_dealt_with") and cue_near(signal, "_resolved"):
            signal.cap("low", "in the past and over")  # "police got them, i'm safe now": over without a date

    def _combine(self, live, cue_spans, window_cues, norms):
        """Raise severities where signals and cues together mean more; return any new signals."""
        active = [s for s in live if "negated" not in s.notes and "joking" not in s.notes
                  and RANK[s.severity] >= RANK["medium"]]
        tags_active = set().union(*(s.tags for s in active)) if active else set()
        risky_method = bool({"method", "lethality", "act", "plan"} & tags_active)
        current_time = "_time" in window_cues and "_resolved" not in window_cues  # "i'm doing better now"
        for s in active:
            if "suicide" not in s.categories:
                continue
            if "ideation" in s.tags and (risky_method or current_time):
                s.raise_to("critical", "ideation with method, plan or time")
            elif "passive" in s.tags and risky_method:
                s.raise_to("critical", "ideation with method")
            elif "passive" in s.tags and current_time:
                s.raise_to("high", "ideation with time")
            elif "plan" in s.tags and current_time:
                s.raise_to("critical", "plan with time")
            elif "method" in s.tags and ({"ideation", "passive"} & tags_active):
                s.raise_to("critical", "method with ideation")
            elif "method" in s.tags and current_time and "_benign_meds" not in window_cues:
                s.raise_to("critical", "method with a time")

        abuse_near = any(set(s.categories) & ABUSE for s in active)
        danger_near = any("danger" in s.tags for s in active)
        for s in live:
            if "danger_ambiguous" in s.tags and "negated" not in s.notes:
                if "_fear" in window_cues or "_weapon" in window_cues or danger_near:
                    s.raise_to("critical", "with fear")
                elif abuse_near:
                    s.raise_to("high", "next to abuse")
            if "indicator" in s.tags and "sexual_exploitation" in s.categories and not CAPPED & set(s.notes) \
                    and ("_older" in window_cues or "_secret" in window_cues):
                s.raise_to("high", "with an older person or secrecy")
            if "gift" in s.tags and not CAPPED & set(s.notes):
                if "_older" in window_cues:
                    s.raise_to("high", "gift from an older person")
                elif "_secret" in window_cues or "_money" in window_cues:
                    s.raise_to("medium", "gift with secrecy or debt")

        added = []
        spans = {}
        for name, start, end, messages in cue_spans:
            spans.setdefault(name, []).append((start, end, messages))

        def synth(names, category, severity, note):
            parts = [p for n in names for p in spans.get(n, [])]
            start = min(p[0] for p in parts)
            end = max(p[1] for p in parts)
            messages = frozenset(m for p in parts for m in p[2])
            signal = Signal(None, start, end, messages, severity, (category,), [note],
                            spans=tuple((p[0], p[1]) for p in parts))
            added.append(signal)

        has = window_cues.__contains__
        if has("_older") and (has("_sexual") or has("_gift") or has("_money") or has("_secret")):
            extra = next(n for n in ("_sexual", "_gift", "_money", "_secret") if has(n))
            synth(["_older", extra], "sexual_exploitation", "high", "older person with sex, gifts, money or secrecy")
        elif has("_older") and has("_child"):
            synth(["_older", "_child"], "sexual_exploitation", "medium", "adult and child ages")
        elif has("_older") and any(n in ("boyfriend", "girlfriend") for n in norms):
            synth(["_older"], "sexual_exploitation", "medium", "older boyfriend")
        if has("_sexual") and has("_money") and not any("sexual_exploitation" in s.categories for s in active):
            synth(["_sexual", "_money"], "sexual_exploitation", "high", "sex for money or debt")
        if has("_sexual") and has("_child") and not has("_older"):
            synth(["_sexual", "_child"], "sexual_abuse", "medium", "sexual activity at a young age")
        return added
