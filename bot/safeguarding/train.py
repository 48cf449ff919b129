"""Train the classifier on the corpus and choose its thresholds by cross-validation.

    python -m bot.safeguarding.train            train, cross-validate, write data/classifier.json
    python -m bot.safeguarding.train --check    exit 1 when data/classifier.json was not trained on the corpus
                                                and features the detector computes now

Training reads corpus/*.jsonl and the spent test sets (TRAINING_SETS). Texts that appear in the sets we
measure on (eval.jsonl and the sealed blind sets) are left out, so those figures stay honest. Thresholds
are chosen on out-of-fold predictions combined with the rules, so they reflect messages the model did
not see: the model pages in addition to the rules, and its escalate threshold is the lowest that adds at
most MODEL_FPR_BUDGET to the rules' false-positive rate on the corpus (whose negatives are nearly all
hard ones: hyperbole, jokes, lookalikes); a critical disclosure may page at a lower bar, within
CRITICAL_FPR_BUDGET more. The model may also clear a rules' medium or high page when it is nearly sure
nothing is wrong (choose_veto: at most VETO_RECALL_COST of real disclosures, never a critical one, out of
fold), and the false alarms that saves are spent on recall.

Training is full-batch Adam on a scipy sparse matrix: about two minutes on two cores.
"""

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

from .classifier import CATEGORIES, HEADS, MODEL_FILE, PAGING_HEADS, VETOABLE, Classifier, model_pages, save, vetoed
from .detector import HISTORY_WINDOW, Detector
from .evaluate import load_cases as read_cases
from .scoring import RANK

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1] / "tests" / "safeguarding"
CORPUS = HERE / "corpus"
TRAINING_SETS = ("dev.jsonl", "dev_holdout.jsonl", "dev_blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl",
                 "blind5.jsonl", "blind6.jsonl", "blind7.jsonl", "blind8.jsonl")
MEASURED_SETS = ("eval.jsonl", "blind9.jsonl", "blind10.jsonl")  # sealed sets: never trained on
MODEL_FPR_BUDGET = 0.025
CRITICAL_FPR_BUDGET = 0.01  # what paging critical disclosures at a lower bar may add to the false alarms
VETO_RECALL_COST = 0.001  # share of real disclosures the model's vetoes may clear, out of fold
PAGING_COLUMNS = [HEADS.index(head) for head in PAGING_HEADS]
ORDINARY_HISTORY_SHARE = 0.5  # see with_ordinary_history
SURE_CATEGORY = 0.8  # a category the model is this sure of joins a page's categories
FOLDS = 5
MIN_COUNT = 2
L2 = 1e-3
STEPS = 200
LEARNING_RATE = 0.05
PRUNE_BELOW = 0.01


def training_files():
    """The corpus files and the spent test sets, in a fixed order."""
    return sorted(CORPUS.glob("*.jsonl")) + [TESTS / name for name in TRAINING_SETS if (TESTS / name).exists()]


def corpus_hash(cases, rows):
    """A fingerprint of what the model learns from: each case's labels and the features the detector
    computes for it today, and the targets and masks the heads learn from. It changes when the corpus, the rules,
    the tokenising or targets() change."""
    digest = hashlib.sha256()
    for case, row in zip(cases, rows):
        labels = [case["escalate"], case["severity"], sorted(case["categories"]), targets(case)]
        digest.update(json.dumps([labels, sorted(row)], ensure_ascii=False).encode())
    digest.update(json.dumps([L2, STEPS, LEARNING_RATE, MIN_COUNT, FOLDS, MODEL_FPR_BUDGET, CRITICAL_FPR_BUDGET,
                              VETO_RECALL_COST, ORDINARY_HISTORY_SHARE, SURE_CATEGORY]).encode())
    return digest.hexdigest()


def corpus_rows(detector):
    """The training cases and their feature sets."""
    cases, dropped = load_cases()
    cases = with_ordinary_history(cases)
    return cases, [detector.model_features(c["text"], c.get("history")) for c in cases], dropped


def text_key(text):
    """A text's letters and digits, lower-cased: near-twins that differ in punctuation or emoji match."""
    return "".join(c for c in text.lower() if c.isalnum())


def load_cases():
    """Training cases, without duplicates and without any text of the measured sets."""
    measured = [TESTS / name for name in MEASURED_SETS if (TESTS / name).exists()]
    held = {text_key(c["text"]) for path in measured for c in read_cases(path)}
    cases, seen, dropped = [], set(), 0
    for path in training_files():
        for case in read_cases(path):
            key = (case["text"].strip().lower(), tuple(h.strip().lower() for h in case.get("history") or ()))
            if text_key(case["text"]) in held:
                dropped += 1
                continue
            if key in seen:
                continue
            seen.add(key)
            cases.append(case)
    return cases, dropped


def with_ordinary_history(cases):
    """The cases, plus about half of those without a history again after one to three ordinary messages
    (severity none) of the corpus, labels unchanged: ordinary chat before a message makes it neither more nor
    less of a disclosure. The corpus's conversations are mostly disclosures split over messages; without
    these the model learns that any earlier message means trouble ("hello again" after asking about contact
    was paged)."""
    ordinary = [c["text"] for c in cases if c["severity"] == "none" and not c.get("history")]
    rng = random.Random(0)
    again = []
    for case in cases:
        if not case.get("history") and rng.random() < ORDINARY_HISTORY_SHARE:
            again.append(dict(case, history=rng.sample(ordinary, rng.randint(1, HISTORY_WINDOW))))
    return cases + again


def targets(case):
    """Label and mask per head: the severity (high, critical) and category heads learn only from messages that
    escalate, so they say how serious and what it is, given that it is a disclosure."""
    escalate = bool(case["escalate"])
    rank = RANK[case["severity"]]
    y = [escalate, rank >= RANK["high"], rank >= RANK["critical"]]
    y += [escalate and c in case["categories"] for c in CATEGORIES]
    mask = [1.0] + [1.0 if escalate else 0.0] * (2 + len(CATEGORIES))
    return y, mask


def design_matrix(rows, index):
    """A sparse 0/1 matrix (cases x vocabulary) of which features each case has."""
    cols = [sorted(index[f] for f in row if f in index) for row in rows]
    indptr = np.cumsum([0] + [len(c) for c in cols])
    indices = np.fromiter((i for c in cols for i in c), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(index)))


def fit(rows, cases, vocabulary):
    """Logistic regression per head with L2, full-batch Adam; deterministic for the same input."""
    index = {f: i for i, f in enumerate(vocabulary)}
    x = design_matrix(rows, index)
    xt = x.T.tocsr()
    labelled = [targets(c) for c in cases]
    y = np.array([t[0] for t in labelled], dtype=np.float32)
    mask = np.array([t[1] for t in labelled], dtype=np.float32)
    positives = (y * mask).sum(axis=0)
    negatives = ((1 - y) * mask).sum(axis=0)
    balance = np.where(y > 0, (negatives + positives) / (2 * np.maximum(positives, 1)),
                       (negatives + positives) / (2 * np.maximum(negatives, 1)))
    weight = (mask * balance / np.maximum(mask.sum(axis=0), 1)).astype(np.float32)
    w = np.zeros((len(vocabulary), len(HEADS)), dtype=np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-z))
        grad = xt @ ((p - y) * weight) + L2 * w
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        rate = LEARNING_RATE * (1 - beta2 ** step) ** 0.5 / (1 - beta1 ** step)
        w -= rate * m / (np.sqrt(v) + eps)
    return w


def build_vocabulary(rows):
    counts = {}
    for row in rows:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, n in counts.items() if n >= MIN_COUNT or f == "bias")


def _fold(case):
    return int(hashlib.sha256(case["text"].encode()).hexdigest(), 16) % FOLDS


def out_of_fold(rows, cases):
    """Head probabilities for every case from a model trained without its fold."""
    probabilities = np.zeros((len(cases), len(HEADS)))
    folds = [_fold(c) for c in cases]
    for k in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != k]
        test = [i for i, f in enumerate(folds) if f == k]
        vocabulary = build_vocabulary([rows[i] for i in train])
        w = fit([rows[i] for i in train], [cases[i] for i in train], vocabulary)
        model = Classifier(vocabulary, w, {})
        for i in test:
            probabilities[i] = 1.0 / (1.0 + np.exp(-model.scores(rows[i])))
            probabilities[i, PAGING_COLUMNS] = model.paging_probabilities(model.rows(rows[i]))  # as the detector sums them
    return probabilities


def choose_veto(cases, probabilities, rules):
    """The model may clear a rules' medium or high page below this escalate probability: the highest
    threshold (0.01 steps, at most 0.5) at which, out of fold, the vetoes clear no critical message and at
    most VETO_RECALL_COST of the messages that should escalate. The false alarms they save go to recall
    through a lower escalate threshold, which catches far more than the vetoes lose."""
    column = HEADS.index("escalate")
    positives = sum(1 for c in cases if c["escalate"])
    cleared = [(probabilities[i, column], c["severity"]) for i, c in enumerate(cases)
               if c["escalate"] and rules[i].severity in VETOABLE]
    chosen = 0.0
    for veto in np.arange(0.01, 0.51, 0.01):
        lost = [severity for p, severity in cleared if p < veto]
        if "critical" in lost or len(lost) > VETO_RECALL_COST * positives:
            break
        chosen = float(round(veto, 2))
    return chosen


def paging_of(probabilities, i):
    """Case i's out-of-fold paging probabilities (escalate, critical)."""
    return tuple(probabilities[i, PAGING_COLUMNS])


def paged(rule, paging, thresholds):
    """Whether the detector pages, given the rules' assessment and the model's paging probabilities."""
    fires = model_pages(paging, thresholds)
    if not fires and vetoed(rule.severity, paging[0], thresholds["veto"]):
        return False
    return rule.escalate or fires


def lowest_threshold(false_positive_rate, allowed):
    """The lowest threshold, stepping down from 0.99, before false_positive_rate(threshold) goes over `allowed`
    (1.0, never, when even 0.99 does)."""
    chosen = 1.0
    for t in np.arange(0.99, 0.05, -0.01):
        if false_positive_rate(t) > allowed:
            break
        chosen = float(round(t, 2))
    return chosen


def choose_thresholds(cases, probabilities, rules):
    """Veto: see choose_veto. Escalate: the lowest threshold at which the detector's out-of-fold
    false-positive rate (its vetoes included) is at most MODEL_FPR_BUDGET above the rules' alone; the
    vetoes' savings go to recall. Critical page: the lowest threshold on the chance of a critical disclosure
    (escalate x critical, classifier.model_pages) that adds at most CRITICAL_FPR_BUDGET more (danger now
    matters most). High and critical severity: the best F1 among messages that escalate."""
    negatives = [i for i, c in enumerate(cases) if not c["escalate"]]
    positives = [i for i, c in enumerate(cases) if c["escalate"]]
    veto = choose_veto(cases, probabilities, rules)

    def false_positive_rate(thresholds):
        return sum(1 for i in negatives if paged(rules[i], paging_of(probabilities, i), thresholds)) / len(negatives)

    rules_rate = sum(rules[i].escalate for i in negatives) / len(negatives)
    chosen = lowest_threshold(lambda t: false_positive_rate({"veto": veto, "escalate": t}),
                              rules_rate + MODEL_FPR_BUDGET)
    escalate_rate = false_positive_rate({"veto": veto, "escalate": chosen})
    critical_page = lowest_threshold(
        lambda t: false_positive_rate({"veto": veto, "escalate": chosen, "critical_page": t}),
        escalate_rate + CRITICAL_FPR_BUDGET)

    def best_f1(column, wanted, rows):
        best, best_t = -1.0, 0.5
        for t in np.arange(0.1, 0.95, 0.05):
            tp = sum(1 for i in rows if probabilities[i, column] >= t and wanted(i))
            fp = sum(1 for i in rows if probabilities[i, column] >= t and not wanted(i))
            fn = sum(1 for i in rows if probabilities[i, column] < t and wanted(i))
            f1 = 2 * tp / max(2 * tp + fp + fn, 1)
            if f1 > best:
                best, best_t = f1, float(round(t, 2))
        return best_t

    high = best_f1(HEADS.index("high"), lambda i: RANK[cases[i]["severity"]] >= RANK["high"], positives)
    critical = best_f1(HEADS.index("critical"), lambda i: cases[i]["severity"] == "critical", positives)
    return {"escalate": chosen, "veto": veto, "critical_page": critical_page, "high": high, "critical": critical,
            "category": 0.5, "sure_category": SURE_CATEGORY}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bot.safeguarding.train", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the saved model matches the corpus")
    args = parser.parse_args(argv)

    detector = Detector(classifier=None)
    cases, rows, dropped = corpus_rows(detector)
    current = corpus_hash(cases, rows)
    if args.check:
        saved = Classifier.load()
        if saved is None or saved.corpus_hash != current:
            print("data/classifier.json does not match the corpus: run python -m bot.safeguarding.train")
            return 1
        print("classifier up to date")
        return 0
    print(f"training cases: {len(cases)} ({sum(c['escalate'] for c in cases)} escalate); "
          f"left out because they are in a measured set: {dropped}")
    rules = [detector.assess(c["text"], c.get("history")) for c in cases]
    probabilities = out_of_fold(rows, cases)
    thresholds = choose_thresholds(cases, probabilities, rules)
    print("thresholds (cross-validated):", thresholds)
    report_cross_validation(cases, probabilities, rules, thresholds)
    vocabulary = build_vocabulary(rows)
    w = fit(rows, cases, vocabulary)
    keep = [i for i, f in enumerate(vocabulary) if f == "bias" or np.abs(w[i]).max() >= PRUNE_BELOW]
    save(MODEL_FILE, [vocabulary[i] for i in keep], w[keep], thresholds, current)
    print(f"wrote {MODEL_FILE.relative_to(HERE.parents[1])}: {len(keep)} features x {len(HEADS)} heads")
    return 0


def report_cross_validation(cases, probabilities, rules, thresholds):
    """Print recall and false-positive rate of rules alone and rules with the model, out of fold."""
    positives = [i for i, c in enumerate(cases) if c["escalate"]]
    negatives = [i for i, c in enumerate(cases) if not c["escalate"]]
    critical = [i for i, c in enumerate(cases) if c["severity"] == "critical"]
    fired = [model_pages(paging_of(probabilities, i), thresholds) for i in range(len(cases))]
    detector = [paged(r, paging_of(probabilities, i), thresholds) for i, r in enumerate(rules)]

    def line(name, escalated):
        recall = sum(escalated[i] for i in positives) / len(positives)
        fpr = sum(escalated[i] for i in negatives) / len(negatives)
        crit = sum(escalated[i] for i in critical) / max(len(critical), 1)
        print(f"  {name:16} recall {recall:.3f}  critical escalated {crit:.3f}  false-positive rate {fpr:.3f}")

    print(f"out-of-fold ({FOLDS} folds, {len(positives)} escalate, {len(negatives)} not):")
    line("rules", [r.escalate for r in rules])
    line("model", fired)
    line("rules or model", [r.escalate or f for r, f in zip(rules, fired)])
    line("with vetoes", detector)


if __name__ == "__main__":
    sys.exit(main())
