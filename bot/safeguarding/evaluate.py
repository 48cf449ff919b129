"""Score the detector on a labelled JSONL set: python -m bot.safeguarding.evaluate [path] [--quiet] [--rules-only]."""

import argparse
import json
import sys
from pathlib import Path

from .detector import Detector, get_detector

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "safeguarding" / "eval.jsonl"
RANKS = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def load_cases(path):
    cases = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if line:
                case = json.loads(line)
                case["line"] = number
                cases.append(case)
    return cases


def _ratio(hits, total):
    return hits / total if total else 1.0


def evaluate(cases, detector=None):
    """Run every case; return the figures and the lists of mistakes."""
    detector = detector or get_detector()
    rows = []
    for case in cases:
        a = detector.assess(case["text"], case.get("history") or None)
        rows.append((case, a))
    positives = [(c, a) for c, a in rows if c["escalate"]]
    negatives = [(c, a) for c, a in rows if not c["escalate"]]
    critical = [(c, a) for c, a in rows if c["severity"] == "critical"]
    categories = sorted({cat for c, _ in positives for cat in c["categories"]})
    per_category = {}
    for cat in categories:
        with_cat = [(c, a) for c, a in positives if cat in c["categories"]]
        found = sum(1 for c, a in with_cat if a.escalate and cat in a.categories)
        per_category[cat] = (found, len(with_cat))
    figures = {
        "messages": len(rows),
        "escalate_messages": len(positives),
        "non_escalate_messages": len(negatives),
        "recall_escalate": _ratio(sum(a.escalate for _, a in positives), len(positives)),
        "recall_critical": _ratio(sum(a.severity == "critical" for _, a in critical), len(critical)),
        "critical_escalated": _ratio(sum(a.escalate for _, a in critical), len(critical)),
        "critical_messages": len(critical),
        "false_positive_rate": _ratio(sum(a.escalate for _, a in negatives), len(negatives)) if negatives else 0.0,
        "severity_exact": _ratio(sum(a.severity == c["severity"] for c, a in rows), len(rows)),
        "severity_within_one": _ratio(sum(abs(RANKS[a.severity] - RANKS[c["severity"]]) <= 1 for c, a in rows),
                                      len(rows)),
        "per_category": per_category,
    }
    mistakes = {
        "missed": [(c, a) for c, a in positives if not a.escalate],
        "false_alarm": [(c, a) for c, a in negatives if a.escalate],
        "critical_under": [(c, a) for c, a in critical if a.escalate and a.severity != "critical"],
        "wrong_category": [(c, a) for c, a in positives
                           if a.escalate and not set(c["categories"]) <= set(a.categories)],
    }
    return figures, mistakes


def _describe(case, a):
    history = f"  [history: {' / '.join(case['history'])}]" if case.get("history") else ""
    return (f"  line {case['line']}: {case['text']!r}{history}\n"
            f"      expected {case['severity']} {case['categories']}  got {a.severity} {a.categories}")


def report(figures, mistakes, out=sys.stdout, details=True):
    w = out.write
    w(f"messages: {figures['messages']} ({figures['escalate_messages']} escalate, "
      f"{figures['non_escalate_messages']} non-escalate, {figures['critical_messages']} critical)\n")
    w("recall per category (escalate messages labelled with it, escalated with that category):\n")
    for cat, (found, total) in figures["per_category"].items():
        w(f"  {cat:22} {found:3}/{total:<3} {_ratio(found, total):.2f}\n")
    w(f"overall recall on escalate messages:      {figures['recall_escalate']:.3f}\n")
    w(f"recall on critical messages (as critical): {figures['recall_critical']:.3f}  "
      f"(escalated at all: {figures['critical_escalated']:.3f})\n")
    w(f"false-positive rate on non-escalate:       {figures['false_positive_rate']:.3f}\n")
    w(f"severity exact / within one level:         {figures['severity_exact']:.3f} / "
      f"{figures['severity_within_one']:.3f}\n")
    if not details:
        return
    labels = {"missed": "misses (should escalate, did not)", "false_alarm": "false alarms (escalated, should not)",
              "critical_under": "critical rated lower", "wrong_category": "escalated, category missing"}
    for key, label in labels.items():
        w(f"{label}: {len(mistakes[key])}\n")
        for case, a in mistakes[key]:
            w(_describe(case, a) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bot.safeguarding.evaluate", description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--quiet", action="store_true", help="figures only, no confusion list")
    parser.add_argument("--rules-only", action="store_true", help="the rules without the classifier, to compare")
    args = parser.parse_args(argv)
    figures, mistakes = evaluate(load_cases(args.path), Detector(classifier=None) if args.rules_only else None)
    report(figures, mistakes, details=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
