"""Behaviour of the safeguarding detector that a young person or a duty social worker would notice."""

import json
import threading

import pytest

from bot.safeguarding import Assessment, assess
from bot.safeguarding.detector import get_detector


def test_public_result_shape_is_json_serialisable():
    a = assess("i want to kill myself")
    assert isinstance(a, Assessment)
    data = json.loads(json.dumps(a.to_dict()))
    assert set(data) == {"escalate", "severity", "categories", "evidence"}
    assert data["categories"] == sorted(data["categories"])
    assert {"category", "text", "start", "end", "message"} <= set(data["evidence"][0])


def test_plain_message_is_none():
    a = assess("i stayed at my mates house and we watched films")
    assert (a.escalate, a.severity, a.categories, a.evidence) == (False, "none", [], [])


@pytest.mark.parametrize("text", ["i'd never kill myself", "im not suicidal", "i dont self harm anymore"])
def test_negation_is_a_gentle_check_not_a_page(text):
    a = assess(text)
    assert a.severity == "low" and not a.escalate


@pytest.mark.parametrize("text", [
    "this homework is killing me", "dying of boredom in maths", "my mum will kill me lol",
    "i killed him in fortnite", "i want to dye my hair", "we did suicides in pe",
])
def test_hyperbole_and_games_are_none(text):
    assert assess(text).severity == "none"


def test_joking_suicide_words_get_a_check_in_only():
    a = assess("kms this maths homework lol")
    assert a.severity == "low" and a.categories == ["suicide"]


@pytest.mark.parametrize("text", ["wanna d1e", "i want to kil myslef", "thinkin bout sucide", "kms fr"])
def test_text_speak_and_typos_escalate(text):
    a = assess(text)
    assert a.escalate and "suicide" in a.categories


@pytest.mark.parametrize("text,category", [
    ("ive taken 20 paracetamol", "substance"),
    ("i want to die 💊💊", "suicide"),
    ("gonna drink antifreeze", "suicide"),
    ("i want to die and i have 30 pills here", "suicide"),
    ("how many paracetamol would kill me", "suicide"),
])
def test_method_and_dose_words_are_critical(text, category):
    a = assess(text)
    assert a.severity == "critical" and category in a.categories


def test_feeling_words_alone_are_high_not_critical():
    assert assess("i want to die").severity == "high"


def test_small_dose_for_a_headache_is_nothing():
    assert assess("took 2 paracetamol for my headache").severity == "none"


def test_third_party_disclosure_escalates():
    a = assess("my friend is cutting herself and her dad hits her")
    assert a.escalate and {"self_harm", "physical_abuse"} <= set(a.categories)


def test_historic_abuse_needs_a_human_but_is_not_urgent():
    a = assess("when i was little he used to touch me")
    assert a.severity == "medium" and a.categories == ["sexual_abuse"]


@pytest.mark.parametrize("text,category", [
    ("im scared to go home", "physical_abuse"),
    ("i dont want to go back there", "missing"),
    ("i owe them 200 quid", "criminal_exploitation"),
    ("they keep sending me to other towns", "criminal_exploitation"),
])
def test_indirect_signals_escalate_at_medium_or_above(text, category):
    a = assess(text)
    assert a.escalate and category in a.categories


def test_older_boyfriend_with_gifts_is_exploitation():
    a = assess("my boyfriend is 25 and he bought me a new phone")
    assert a.severity == "high" and "sexual_exploitation" in a.categories


def test_disclosure_split_over_messages():
    history = ["he makes me", "do stuff with his mates"]
    a = assess("for money", history=history)
    assert a.severity == "high" and a.categories == ["sexual_exploitation"]
    assert {e.message for e in a.evidence} == {-2, -1, 0}
    assert assess("for money").severity == "none"


def test_fear_after_ambiguous_presence_is_critical():
    assert assess("he's outside").severity == "low"
    assert assess("im so scared", history=["he's outside"]).severity == "critical"


def test_history_alone_does_not_re_escalate_an_unrelated_message():
    assert assess("ok thanks", history=["my dad hits me"]).severity == "none"


def test_evidence_offsets_point_at_the_words():
    history = ["i'm fine mostly", "but  honestly\n i wanna   kms"]
    text = "he's outside my house and i'm so scared"
    a = assess(text, history=history)
    messages = history + [text]
    assert a.evidence
    for e in a.evidence:
        assert messages[len(messages) - 1 + e.message][e.start:e.end] == e.text
    texts = {e.text for e in a.evidence}
    assert "he's outside" in texts


def test_emoji_with_skin_tone_and_variation_selector_keep_offsets():
    text = "👍🏽 ⚰️ i want to die tonight"
    a = assess(text)
    assert a.severity == "critical"
    assert all(text[e.start:e.end] == e.text for e in a.evidence)


def test_empty_and_odd_input():
    for text in ["", "   ", "💀", "?!?!", "a" * 5000]:
        assert assess(text).severity in ("none", "low")


def test_patterns_compile_without_warnings():
    assert get_detector().warnings == []


def test_a_lesson_cue_does_not_silence_a_disclosure_that_mentions_school():
    # context cues compile exactly: "(top boy|love island)" once matched "a boy", and "school project" + "my
    # project" made "my school" a lesson, which lowered real disclosures to a gentle check
    detector = get_detector()
    assert not any(section.key == "_media" for section, _, _ in detector.analyse(["a boy at school takes my money"])["matches"])
    threat = assess("sum1 on snap sed he will send my pics to evry1 in my skool unless i send more")
    assert threat.escalate and "online_harm" in threat.categories
    assert not assess("had a police talk at school about sextortion, never knew that was a thing").escalate


def test_concurrent_calls_agree_with_serial_calls():
    texts = ["i want to kill myself tonight", "this homework is killing me", "he's got a knife",
             "my boyfriend is 25 and buys me vapes", "nobody hurt me", "i ran away lol"] * 20
    expected = [assess(t).to_dict() for t in texts]
    results = [None] * len(texts)

    def work(offset):
        for i in range(offset, len(texts), 4):
            results[i] = assess(texts[i]).to_dict()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected
