"""Load the data files in data/: rule sections, word classes and normalisation tables."""

import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEVERITIES = ("none", "low", "medium", "high", "critical")


@dataclass(frozen=True)
class Section:
    """One "## ..." block of rules.txt: its categories (or cue name), base severity, tags and patterns."""

    key: str
    categories: tuple
    severity: str
    tags: frozenset
    patterns: tuple
    line: int

    @property
    def is_cue(self):
        return self.categories[0].startswith("_")


def load_json(name):
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def parse_rules(text):
    """Parse the rules.txt format into a list of Sections."""
    sections = []
    header, patterns, start = None, [], 0

    def close():
        if header is not None:
            cats, severity, tags = header
            sections.append(Section(f"s{len(sections)}", cats, severity, tags, tuple(patterns), start))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("## "):
            close()
            parts = [p.strip() for p in line[3:].split("|")]
            while len(parts) < 3:
                parts.append("")
            cats = tuple(c.strip() for c in parts[0].split("+") if c.strip())
            severity = parts[1] or "none"
            if severity not in SEVERITIES:
                raise ValueError(f"rules.txt line {number}: unknown severity {severity!r}")
            header, patterns, start = (cats, severity, frozenset(parts[2].split())), [], number
        elif not line or line.startswith("#"):
            continue
        else:
            if header is None:
                raise ValueError(f"rules.txt line {number}: pattern before any section header")
            patterns.append(line)
    close()
    return sections


def load_rules():
    return parse_rules((DATA_DIR / "rules.txt").read_text(encoding="utf-8"))


# Irregular verb forms for inflect(): base -> the other forms a young person might type.
IRREGULAR = {
    "beat": ["beats", "beating", "beaten", "beat"], "bite": ["bites", "biting", "bit", "bitten"],
    "bring": ["brings", "bringing", "brought"], "buy": ["buys", "buying", "bought"],
    "catch": ["catches", "catching", "caught"], "come": ["comes", "coming", "came"],
    "cut": ["cuts", "cutting", "cut"], "drink": ["drinks", "drinking", "drank", "drunk"],
    "drive": ["drives", "driving", "drove", "driven"], "eat": ["eats", "eating", "ate", "eaten"],
    "feel": ["feels", "feeling", "felt"], "fight": ["fights", "fighting", "fought"],
    "get": ["gets", "getting", "got", "gotten"], "give": ["gives", "giving", "gave", "given"],
    "go": ["goes", "going", "went", "gone"], "have": ["has", "having", "had"],
    "hide": ["hides", "hiding", "hid", "hidden"], "hit": ["hits", "hitting", "hit"],
    "hold": ["holds", "holding", "held"], "hurt": ["hurts", "hurting", "hurt"],
    "keep": ["keeps", "keeping", "kept"], "leave": ["leaves", "leaving", "left"],
    "lend": ["lends", "lending", "lent"], "let": ["lets", "letting", "let"],
    "make": ["makes", "making", "made"], "pay": ["pays", "paying", "paid"], "put": ["puts", "putting", "put"],
    "run": ["runs", "running", "ran"], "say": ["says", "saying", "said"], "sell": ["sells", "selling", "sold"],
    "send": ["sends", "sending", "sent"], "shoot": ["shoots", "shooting", "shot"],
    "sleep": ["sleeps", "sleeping", "slept"], "steal": ["steals", "stealing", "stole", "stolen"],
    "stick": ["sticks", "sticking", "stuck"], "swing": ["swings", "swinging", "swung"],
    "take": ["takes", "taking", "took", "taken"], "teach": ["teaches", "teaching", "taught"],
    "tell": ["tells", "telling", "told"], "think": ["thinks", "thinking", "thought"],
    "throw": ["throws", "throwing", "threw", "thrown"], "wake": ["wakes", "waking", "woke", "woken"],
    "write": ["writes", "writing", "wrote", "written"], "sit": ["sits", "sitting", "sat"],
    "stand": ["stands", "standing", "stood"], "swallow": ["swallows", "swallowing", "swallowed"],
    "find": ["finds", "finding", "found"], "lie": ["lies", "lying", "lay", "lied"],
    "spit": ["spits", "spitting", "spat"], "sting": ["stings", "stinging", "stung"],
    "do": ["does", "doing", "did", "done"], "see": ["sees", "seeing", "saw", "seen"],
    "show": ["shows", "showing", "showed", "shown"], "shut": ["shuts", "shutting", "shut"],
    "set": ["sets", "setting", "set"], "burn": ["burns", "burning", "burned", "burnt"],
    "spend": ["spends", "spending", "spent"], "bleed": ["bleeds", "bleeding", "bled"],
    "break": ["breaks", "breaking", "broke", "broken"], "choose": ["chooses", "choosing", "chose", "chosen"],
    "rip": ["rips", "ripping", "ripped"], "starve": ["starves", "starving", "starved"],
}
_VOWELS = set("aeiou")


def inflect(base):
    """A verb's base form and its inflections (-s, -ed, -ing, irregular forms): 'slap' -> slaps, slapped, slapping.

    Lemma-ish matching done at compile time: the rules name a verb once ("slap+") and match every form, so the
    run-time path (one NORM lookup per token) is unchanged. Over-generation (a form nobody writes) is harmless.
    """
    if base in IRREGULAR:
        return [base] + IRREGULAR[base]
    forms = [base]
    if base.endswith(("s", "sh", "ch", "x", "z")):
        forms.append(base + "es")
    elif base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        forms.append(base[:-1] + "ies")
    else:
        forms.append(base + "s")
    if base.endswith("e") and not base.endswith("ee"):
        stem = base[:-1]
        forms += [stem + "ed", stem + "ing", base + "d"]
    elif base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        forms += [base[:-1] + "ied", base + "ing"]
    else:
        doubled = (len(base) >= 3 and base[-1] not in _VOWELS | set("wxy") and base[-2] in _VOWELS
                   and base[-3] not in _VOWELS and len(base) <= 5)
        stem = base + base[-1] if doubled else base
        forms += [stem + "ed", stem + "ing"]
        if doubled:
            forms += [base + "ed", base + "ing"]
        forms.append(base + "in")
    return forms


def expand_word(word):
    """'slap+' -> every form of slap; any other word -> [word]."""
    if len(word) > 1 and word.endswith("+") and word[:-1].replace("'", "").isalpha():
        return inflect(word[:-1])
    return [word]


def load_classes():
    """classes.json with every "verb+" entry of a class expanded to its inflections."""
    data = load_json("classes.json")
    data["classes"] = {name: sorted({form for word in words for form in expand_word(word)})
                       for name, words in data["classes"].items()}
    return data
