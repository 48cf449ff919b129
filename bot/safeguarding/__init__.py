"""Safeguarding disclosure detector for young people's text messages (SMS and web chat).

    from bot.safeguarding import assess
    a = assess("i wanna d1e", history=["older msg", "newer msg"])
    a.escalate, a.severity, a.categories, a.evidence, a.to_dict()

Severity scale (escalate = page the duty social worker = medium or above):
  critical  risk to life or someone in danger right now: suicidal thinking with a method, dose, plan or
            "tonight/now"; an overdose taken or heavy bleeding; someone following, locked in, a weapon,
            "he's outside" with fear. Needs a human within minutes (and 999 advice to the young person).
  high      current abuse or exploitation disclosed (sexual, physical, domestic, criminal, trafficking,
            online sextortion, forced marriage/FGM, radicalisation), active suicidal thoughts or self-harm,
            purging or starving. Ongoing sexual abuse sits here, not critical, unless the abuser is there
            now: critical is kept for "act within minutes" so it stays a short, trusted queue.
  medium    indirect but concerning signals a human should follow up: scared to go home, not going back,
            an older boyfriend, owing someone money, no food, nowhere to sleep, passive "can't go on",
            past abuse ("when I was little he used to..."), being given drugs.
  low       worth a gentle check-in by the bot, no page: negated ("I'd never kill myself", "nobody hurt
            me"), joking ("kms lol this homework"), fiction or a school lesson, ambiguous presence.
  none      nothing found, including hyperbole ("dying of boredom", "this homework is killing me") and
            games ("i killed him in fortnite").

Categories: suicide, self_harm, sexual_abuse, sexual_exploitation, criminal_exploitation, trafficking,
physical_abuse, domestic_abuse, neglect, immediate_danger, missing, substance, eating_disorder,
fgm_forced_marriage, online_harm, radicalisation. Third-party ("my friend is cutting herself") counts like
first-person: the friend needs a human too.

Two halves decide together: the rules in data/rules.txt (precise on the phrasings we wrote down, with
negation, jokes, the past and combinations) and a classifier (classifier.py) trained on the labelled
corpus in corpus/ (13,000+ messages) that reads the words, letter n-grams and the rules' verdict. A page
goes out when either says so: the model pages when its escalate head is over its threshold, or when the
chance it gives of a disclosure that is critical (escalate x critical) is over a lower one, so danger now
needs less certainty. The classifier can raise a severity; it lowers a medium or high one to a gentle
check only when it is nearly sure nothing is wrong (below its veto threshold, at which it cleared at most 1
in 1,000 real disclosures and no critical one in cross-validation), never a critical one. Every threshold
is chosen out of fold by train.py. Retrain after changing the corpus or the rules: make safeguarding-model.
"""

from .assessment import Assessment, Evidence
from .detector import assess, get_detector

__all__ = ["assess", "Assessment", "Evidence", "get_detector"]
