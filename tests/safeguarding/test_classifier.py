"""The learned classifier beside the rules: trained on the corpus as it is; it adds pages, and clears a
medium or high one to a gentle check only when all but sure, never a critical one."""

import json
from pathlib import Path

import numpy as np
import pytest

from bot.safeguarding import train
from bot.safeguarding.classifier import CATEGORIES, HEADS, MODEL_FILE, Classifier
from bot.safeguarding.detector import Detector, get_detector
from bot.safeguarding.evaluate import load_cases
from bot.safeguarding.scoring import RANK

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def rules_only():
    return Detector(classifier=None)


def test_saved_model_was_trained_on_this_corpus_and_these_features(capsys):
    assert train.main(["--check"]) == 0, capsys.readouterr().out


def test_corpus_labels_follow_the_readme():
    for path in sorted(train.CORPUS.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            case = json.loads(line)
            where = f"{path.name}:{number}"
            assert set(case) <= {"text", "history", "escalate", "severity", "categories"}, where
            assert case["escalate"] == (case["severity"] in ("medium", "high", "critical")), where
            assert set(case["categories"]) <= set(CATEGORIES), where
            assert case["categories"] or case["severity"] == "none", where
            assert len(case.get("history") or []) <= 3, where


def test_no_measured_message_is_trained_on():
    trained = {train.text_key(c["text"]) for c in train.load_cases()[0]}
    for name in train.MEASURED_SETS:
        assert (HERE / name).exists(), name
        assert not trained & {train.text_key(c["text"]) for c in load_cases(HERE / name)}, name


def test_the_model_lowers_no_critical_page_and_others_only_to_a_gentle_check(rules_only):
    detector = get_detector()
    assert detector.classifier is not None and 0 < detector.classifier.veto < 0.2
    for case in load_cases(HERE / "eval.jsonl"):
        alone = rules_only.assess(case["text"], case.get("history"))
        both = detector.assess(case["text"], case.get("history"))
        if RANK[both.severity] < RANK[alone.severity]:
            assert alone.severity in ("medium", "high") and both.severity == "low", case["text"]
            assert not both.escalate and both.categories == alone.categories, case["text"]
        else:
            assert both.escalate >= alone.escalate, case["text"]


def _fixed_model(escalate, categories=(), word="hits", critical=-20.0):
    """A classifier that gives nearly every message the same probabilities (log-odds on its bias feature);
    `word` leans a little towards escalating, so it is the model's evidence."""
    row = np.full(len(HEADS), -20.0)
    row[HEADS.index("escalate")] = escalate
    row[HEADS.index("critical")] = critical
    for name in categories:
        row[HEADS.index(name)] = 20.0
    lean = np.zeros(len(HEADS))
    lean[HEADS.index("escalate")] = 0.1
    thresholds = {"escalate": 0.86, "veto": 0.05, "critical_page": 0.3, "high": 0.5, "critical": 0.5, "category": 0.5,
                  "sure_category": 0.8}
    return Classifier(["bias", "w|" + word], [row, lean], thresholds)


def test_a_sure_model_clears_a_medium_or_high_page_to_a_gentle_check_but_never_a_critical_one():
    quiet = Detector(classifier=_fixed_model(escalate=-10.0))
    for text in ("i want to die", "i dont want to go back to the placement"):
        a = quiet.assess(text)
        assert (a.escalate, a.severity) == (False, "low") and a.categories and a.evidence, text
    a = quiet.assess("ive taken 30 paracetamol")
    assert a.escalate and a.severity == "critical"
    unsure = Detector(classifier=_fixed_model(escalate=-2.0))
    assert unsure.assess("i want to die").escalate


def test_a_likely_critical_disclosure_pages_at_a_lower_bar(rules_only):
    text = "on the roof of the car park"
    assert not rules_only.assess(text).escalate
    # escalate 0.38 is under its 0.86 threshold, but 0.38 x critical 0.95 = 0.36 is over the critical-page 0.3
    a = Detector(classifier=_fixed_model(escalate=-0.5, categories=["suicide"], critical=3.0)).assess(text)
    assert (a.escalate, a.severity, a.categories) == (True, "critical", ["suicide"])
    below = Detector(classifier=_fixed_model(escalate=-0.5, categories=["suicide"], critical=0.0)).assess(text)
    assert not below.escalate  # 0.38 x 0.5 = 0.19


def test_categories_the_model_is_sure_of_join_a_page_with_their_evidence(rules_only):
    text = "my mums boyfriend hits me when hes drunk"
    alone = rules_only.assess(text)
    assert alone.escalate and "substance" not in alone.categories
    a = Detector(classifier=_fixed_model(escalate=0.0, categories=["substance"])).assess(text)
    assert a.escalate and set(a.categories) == set(alone.categories) | {"substance"}
    assert [e.text for e in a.evidence if e.category == "substance"] == ["hits"]
    assert all(text[e.start:e.end] == e.text for e in a.evidence)


@pytest.mark.parametrize("text", [
    "i keep a bag packed for when i go to his. hes 26 but proper kind to me",
    "they said if i dont do one more drop my little brother gets it",
    "i havent slept in a bed for a week, just buses and stairwells",
    "staff put me on the floor and sat on me till i couldnt breathe",
    "he says my whole school sees the clip if i stop answering him",  # the old wording now has a rule (exact cues)
    "thinking of just walking into the sea tonight",
    "every time i eat i go and get rid of it after",
])
def test_wording_no_rule_was_written_for_still_reaches_a_human(rules_only, text):
    assert not rules_only.assess(text).escalate
    assessment = get_detector().assess(text)
    assert assessment.escalate and assessment.severity in ("medium", "high", "critical")
    assert assessment.categories
    assert assessment.evidence
    assert all(0 <= e.start < e.end <= len(text) and text[e.start:e.end] == e.text for e in assessment.evidence)
    assert {e.category for e in assessment.evidence} <= set(assessment.categories)


@pytest.mark.parametrize("text", [
    "this homework is killing me",
    "my mum will kill me lol",
    "dying of boredom in maths rn",
    "my carer took my phone off me till the weekend",
    "can i see my brother at contact this weekend",
])
def test_ordinary_messages_stay_quiet(text):
    assert not get_detector().assess(text).escalate


@pytest.mark.parametrize("history,text", [
    (["hiya", "can i ask about my contact with my brother this weekend"], "hello again"),
    (["what time is tea", "is it pasta again"], "ok cool"),
    (["can my mate stay over saturday"], "thanks, i'll ask my carer"),
    (["my dad hits me"], "ok thanks"),
])
def test_earlier_messages_alone_do_not_make_an_ordinary_reply_a_page(history, text):
    assert not get_detector().assess(text, history=history).escalate


def test_a_missing_model_file_leaves_the_rules_working(tmp_path, caplog):
    missing = Classifier.load(tmp_path / "absent.json")
    assert missing is None and "rules alone" in caplog.text
    assessment = Detector(classifier=missing).assess("i want to kill myself")
    assert assessment.escalate and assessment.severity in ("high", "critical")


def test_a_model_saved_for_other_heads_is_refused(tmp_path):
    saved = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    saved["heads"] = saved["heads"][::-1]
    (tmp_path / "classifier.json").write_text(json.dumps(saved), encoding="utf-8")
    with pytest.raises(ValueError, match="other heads"):
        Classifier.load(tmp_path / "classifier.json")


def _veto_cases(labelled):
    """Cases, out-of-fold probabilities and rules' verdicts for choose_veto: (severity, rules' severity, p)."""
    from types import SimpleNamespace

    cases = [{"escalate": RANK[s] >= RANK["medium"], "severity": s} for s, _, _ in labelled]
    probabilities = np.zeros((len(labelled), len(HEADS)))
    probabilities[:, HEADS.index("escalate")] = [p for _, _, p in labelled]
    rules = [SimpleNamespace(severity=r) for _, r, _ in labelled]
    return cases, probabilities, rules


def test_the_veto_stops_below_the_first_critical_message_it_would_clear(monkeypatch):
    monkeypatch.setattr(train, "VETO_RECALL_COST", 0.5)
    cases = _veto_cases([("high", "high", 0.05), ("critical", "high", 0.12), ("medium", "medium", 0.3),
                         ("none", "high", 0.01)])
    assert train.choose_veto(*cases) == 0.12  # clears the high one at 0.05, never the critical one at 0.12


def test_the_veto_clears_at_most_its_share_of_real_disclosures(monkeypatch):
    monkeypatch.setattr(train, "VETO_RECALL_COST", 0.125)
    labelled = [("high", "high", 0.03), ("medium", "medium", 0.08)] + [("high", "none", 0.9)] * 6
    assert train.choose_veto(*_veto_cases(labelled)) == 0.08  # 1 of 8 disclosures is the budget; 0.09 clears 2
