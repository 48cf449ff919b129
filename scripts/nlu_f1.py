"""Print per-intent and weighted F1 from a Rasa intent report, and fail below a floor."""

import json
import sys


def main(report_path: str, floor: float) -> int:
    """Print the figures and return the exit code."""
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    summary = {"accuracy", "macro avg", "weighted avg", "micro avg"}
    print(f"{'intent':<26}{'precision':>10}{'recall':>10}{'f1':>8}{'n':>6}")
    for intent, scores in sorted(report.items()):
        if intent in summary or not isinstance(scores, dict):
            continue
        print(
            f"{intent:<26}{scores['precision']:>10.3f}{scores['recall']:>10.3f}"
            f"{scores['f1-score']:>8.3f}{scores['support']:>6}"
        )
    f1 = report["weighted avg"]["f1-score"]
    print(f"NLU held-out intent F1 (weighted): {f1:.3f} (floor {floor:.2f})")
    if f1 < floor:
        print("FAIL: NLU intent F1 is below the floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
