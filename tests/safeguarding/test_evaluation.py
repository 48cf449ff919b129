"""The detector must meet its floors on the labelled evaluation set."""

import io
from pathlib import Path

from bot.safeguarding.evaluate import evaluate, load_cases, report

HERE = Path(__file__).resolve().parent
FLOORS = {"recall_critical": 1.00, "recall_escalate": 0.97}
MAX_FALSE_POSITIVE_RATE = 0.05


def test_eval_set_is_big_and_hard_enough():
    cases = load_cases(HERE / "eval.jsonl")
    negatives = [c for c in cases if not c["escalate"]]
    assert len(cases) >= 400
    assert len(negatives) * 3 >= len(cases)
    labelled = {cat for c in cases for cat in c["categories"]}
    assert len(labelled) >= 16
    for c in cases:
        assert c["escalate"] == (c["severity"] in ("medium", "high", "critical"))


def test_evaluation_meets_floors():
    figures, mistakes = evaluate(load_cases(HERE / "eval.jsonl"))
    out = io.StringIO()
    report(figures, mistakes, out=out)
    print(out.getvalue())
    for key, floor in FLOORS.items():
        assert figures[key] >= floor, f"{key} {figures[key]:.3f} below {floor}\n{out.getvalue()}"
    assert figures["false_positive_rate"] <= MAX_FALSE_POSITIVE_RATE, out.getvalue()
