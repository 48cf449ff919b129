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
