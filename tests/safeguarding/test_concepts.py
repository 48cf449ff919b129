"""Concept-level behaviour: new phrasings (not taken from any data set) of the concepts the rules model.

Each concept is (actor) + (harmful act, any inflection) + (target or qualifier); these sentences check the
rules generalise beyond the wording of eval.jsonl and dev_holdout.jsonl. " || " separates earlier messages.
"""

import pytest

from bot.safeguarding import assess
from bot.safeguarding.detector import Detector

RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@pytest.fixture(scope="module")
def rules():
    """The rules alone: these tests are about the rules' concepts, not the classifier beside them."""
    return Detector(classifier=None)


def _assess(text, detector=None):
    parts = text.split(" || ")
    return (detector.assess if detector else assess)(parts[-1], history=parts[:-1])


DISCLOSURES = [
    ("by tomorrow morning i'll be gone", 'critical', 'suicide'),
    ("i won't be around after tonight", 'critical', 'suicide'),
    ('just wanted to say goodbye to everyone', 'high', 'suicide'),
    ('my sister can have all my clothes, i wont need them anymore', 'high', 'suicide'),
    ('looked up how to hang myself', 'critical', 'suicide'),
    ('i swallowed a whole strip of my mums sleeping tablets', 'critical', 'suicide'),
    ('downed a packet of paracetamol', 'critical', 'suicide'),
    ("i'd rather be dead than go back", 'high', 'suicide'),
    ('honestly my family would all be better off without me', 'high', 'suicide'),
    ('the voices keep telling me to jump', 'high', 'suicide'),
    ('ive been scratching my arms till they bleed', 'high', 'self_harm'),
    ('i carved his name into my leg', 'high', 'self_harm'),
    ('i punched the wall till my knuckles bled', 'high', 'self_harm'),
    ('i make myself sick after tea every night', 'high', 'eating_disorder'),
    ('i puke up whatever i eat', 'high', 'eating_disorder'),
    ('i havent eaten for 4 days cos im too fat', 'high', 'eating_disorder'),
    ('skipping meals so i can get skinny for summer', 'high', 'eating_disorder'),
    ('i only eat one apple a day to lose weight', 'high', 'eating_disorder'),
    ('my mums boyfriend touches me when shes at work', 'high', 'sexual_abuse'),
    ('my uncle fondled me at the party', 'high', 'sexual_abuse'),
    ('some old man on the bus groped me', 'high', 'sexual_abuse'),
    ('he sneaks into my bed at night', 'high', 'sexual_abuse'),
    ('he forces me to touch him', 'high', 'sexual_abuse'),
    ("my cousin does stuff to me when we're alone", 'high', 'sexual_abuse'),
    ('these lads give me free weed as long as i go back to their flat', 'high', 'sexual_exploitation'),
    ('the olders make me keep a bag at mine', 'high', 'criminal_exploitation'),
    ('olders said i owe them now', 'medium', 'criminal_exploitation'),
    ('they got me holding a shank for them', 'high', 'criminal_exploitation'),
    ('got robbed of the bag and now i owe them 300', 'high', 'criminal_exploitation'),
    ("he's making me sell weed for him", 'high', 'criminal_exploitation'),
    ('they kept my passport when i got here', 'high', 'trafficking'),
    ('i work in the car wash every day and they dont pay me', 'high', 'trafficking'),
    ('my stepdad slammed my face into the door', 'high', 'physical_abuse'),
    ('she dragged me by my hair down the stairs', 'high', 'physical_abuse'),
    ("my foster mum slaps me when i'm late", 'high', 'physical_abuse'),
    ('my carer kicked me in the stomach', 'high', 'physical_abuse'),
    ('dad hasnt come home since friday', 'medium', 'neglect'),
    ('been home alone for a week with no money', 'medium', 'neglect'),
    ('they locked me inside the garage', 'critical', 'immediate_danger'),
    ('he shut me in the bathroom and wont let me out', 'critical', 'immediate_danger'),
    ('he took my phone and locked the door', 'critical', 'immediate_danger'),
    ('im at some mans house and he wont let me leave', 'critical', 'immediate_danger'),
    ('someone slipped something into my drink last night', 'high', 'substance'),
    ('my ex made a page with my nudes', 'high', 'online_harm'),
    ("he's threatening to post the pics", 'high', 'online_harm'),
    ('my pics are going round the whole school', 'high', 'online_harm'),
    ("he has my nudes and says he'll send them to everyone", 'high', 'online_harm'),
    ("they're taking me abroad to get me cut", 'high', 'fgm_forced_marriage'),
    ('a guy on discord invited me to a white power group chat', 'high', 'radicalisation'),
    ('immigrants are invading and we have to fight back', 'high', 'radicalisation'),
    ('my girlfriend punches me', 'high', 'physical_abuse'),
    ("i've got my tablets saved up || tonight's the night", 'critical', 'suicide'),
    ("he keeps || touching me || when mum's out", 'high', 'sexual_abuse'),
    ('i wont be here this time tomorrow', 'critical', 'suicide'),
    ('ive wrote letters for everyone', 'high', 'suicide'),
    ('i dont wanna be alive anymore', 'high', 'suicide'),
    ('thinkin of jumpin off the bridge tonite', 'critical', 'suicide'),
    ('ive had like 15 of my nans pills', 'critical', 'suicide'),
    ('im gonna take all my meds tonight', 'critical', 'suicide'),
    ('i just want everything to stop', 'medium', 'suicide'),
    ('cut myself again last night', 'high', 'self_harm'),
    ('been burnin myself with a lighter', 'high', 'self_harm'),
    ('i keep being sick on purpose after dinner', 'high', 'eating_disorder'),
    ('i dont let myself eat till 6pm so i stay thin', 'high', 'eating_disorder'),
    ('my foster carers husband keeps touching my legs', 'high', 'sexual_abuse'),
    ('my brothers mate made me do stuff to him', 'high', 'sexual_abuse'),
    ('he raped me at the party', 'high', 'sexual_abuse'),
    ('a man in a car keeps giving me money for pics', 'high', 'sexual_exploitation'),
    ('my bf is 22 and he drives me to his mates parties', 'high', 'sexual_exploitation'),
    ('they make me do drops after school', 'high', 'criminal_exploitation'),
    ('i have to hold a phone for the olders', 'high', 'criminal_exploitation'),
    ('olders said if i stop running for them theyll hurt my mum', 'high', 'criminal_exploitation'),
    ('they dont let me out of the house and i work all day', 'high', 'trafficking'),
    ('my dad batters me when hes drunk', 'high', 'physical_abuse'),
    ('she chucked a plate at my head', 'high', 'physical_abuse'),
    ("my mum's new fella choked her last night", 'high', 'domestic_abuse'),
    ('theres no food and mums not been back since sunday', 'medium', 'neglect'),
    ("somebody's been following me home from school", 'critical', 'immediate_danger'),
    ('hes outside my window with a knife', 'critical', 'immediate_danger'),
    ('they locked me in their car', 'critical', 'immediate_danger'),
    ('someone spiked me at the club', 'high', 'substance'),
    ('a girl from school made a fake insta with my pics', 'high', 'online_harm'),
    ('hes threatening to leak my nudes if i dont send money', 'high', 'online_harm'),
    ('my dad says i have to marry my cousin this summer', 'high', 'fgm_forced_marriage'),
    ('im not going back there ever again', 'medium', 'missing'),
    ('he keeps || coming in my room || at night', 'high', 'sexual_abuse'),
]

ORDINARY = [
    "i'll be gone by the morning, off to my dads for the week",
    'omg i want to die my crush liked my story 💀',
    'i wanna die he saw me trip on the stairs 😭',
    'the olders at the youth club are safe',
    'my olders got me a birthday cake',
    'i threw up everything after that stomach bug',
    'not eating meat anymore, trying to be vegan',
    'my brother keeps trying to get in my room to steal my charger',
    'my carers took my phone cos i was on it too late',
    'my carers wont let me leave the house after 9',
    'i owe my mate a tenner',
    'the ball hit me in the face at football',
    'it hit me that i miss my old school',
    'my little sister kicked me in her sleep lol',
    'he touched my shoulder to get my attention',
    'my mum locked the door when she went out',
    "my boss doesn't pay me till friday",
    "we're doing a project on the far right in history",
    "i'm fasting for ramadan",
    'saying goodbye to my old placement today, sad but excited',
    'my nan gave me money for the bus',
    'my dog bit me lol',
    'i got my hair cut',
    'taking the pills the doctor gave me for my acne',
    "i'm dead tired after training",
    'getting my nails done later',
    'she slammed the door in my face lol',
    'i could kill for a maccies rn',
    'this maths test is gonna kill me 😭',
    'lol my mum is gonna murder me when she sees my room',
    'i was dead embarrassed when i fell off the stage 💀',
    'my little brother hit me with his toy car',
    'the olders from my estate play football with us',
    'i took some paracetamol for my headache',
    'i skipped breakfast cos i woke up late',
    "i'm starving, what's for tea",
    'my carer locked the front door when we went to bed',
    "my mate is 18 and she's teaching me to drive",
    "my phone died so i couldn't text back",
    'i cut my finger chopping onions',
    'she posted pics of us at the beach',
    "we're doing a unit on county lines in pshe",
    "my friend's older brother gave us a lift home",
    'i got sent out of class for talking',
    'i need to get rid of these old clothes, giving them to charity',
    'i owe my sister for the cinema tickets',
    'i was followed on insta by some random account',
]


@pytest.mark.parametrize("text,severity,category", DISCLOSURES)
def test_concept_disclosures_escalate(text, severity, category):
    a = _assess(text)
    assert RANK[a.severity] >= RANK[severity] and category in a.categories, (a.severity, a.categories)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_readings_do_not_page(rules, text):
    a = _assess(text, rules)
    assert not a.escalate, (a.severity, a.categories)


def test_olders_need_a_cue():
    assert assess("the olders down the park are alright").severity == "none"
    assert "criminal_exploitation" in assess("the olders want me to drop a package in town").categories


def test_crying_emoji_with_embarrassment_is_laughing():
    a = assess("i actually want to die everyone saw me fall over in assembly 😭")
    assert a.severity == "low"
    assert assess("i want to die 😭").escalate


def test_bed_is_sexual_abuse_not_immediate_danger():
    a = assess("my stepbrother tries to get into my bed when everyone's asleep")
    assert a.severity == "high" and "sexual_abuse" in a.categories and "immediate_danger" not in a.categories


NEGATED = ["he has never touched me like that", "nobody locks me in", "i'm not making myself sick anymore"]


def test_negated_concepts_stay_low(rules):
    for text in NEGATED:
        assert not rules.assess(text).escalate, text


def test_vague_plan_needs_a_suicide_signal(rules):
    # the rules' concept; alone, the classifier pages it critical (0.37 for a 0.35 bar), which we accept
    assert not rules.assess("doing it tonight").escalate
    assert assess("doing it tonight", history=["i've got all my pills saved"]).severity == "critical"


def test_restriction_needs_a_body_image_reason(rules):
    # the rules' concept; the classifier pages the first message (an accepted false alarm)
    assert rules.assess("i haven't eaten all day, been so busy").severity in ("none", "low")
    assert "eating_disorder" in assess("i haven't eaten all day so i can be skinny").categories


def test_inflected_verbs_match_every_form():
    for verb in ["whacks", "whacked", "whacking"]:
        assert "physical_abuse" in assess(f"my foster dad {verb} me in the face").categories, verb


def test_concept_evidence_offsets():
    text = "he  took my phone and LOCKED the door"
    a = assess(text)
    assert a.severity == "critical"
    assert all(text[e.start:e.end] == e.text for e in a.evidence)


# Round 4 concepts (new sentences, written for these tests; not taken from any data set).
UNSAFE_FIRST_PERSON = [
    "i don't feel safe",
    "i dont feel safe here",
    "i'm not safe",
    "i feel unsafe at home",
    "i really dont feel safe in this house",
    "honestly im not safe at my placement",
    "i feel unsafe around my mums new partner",
]

ROUND4_DISCLOSURES = [
    ("ive got 30 of my dads sleeping tablets hidden in my pillowcase", "high", "suicide"),
    ("put a dressing gown cord round my neck last night", "critical", "suicide"),
    ("how do i stop a cut bleeding its really deep", "critical", "self_harm"),
    ("same van has been following me since i left school", "critical", "immediate_danger"),
    ("he said if i tell anyone hes going to stab me and hes downstairs", "critical", "immediate_danger"),
    ("please can someone come and get me i dont know where i am", "critical", "immediate_danger"),
    ("my friend took something and now she's not breathing properly", "critical", "immediate_danger"),
    ("her lips have gone blue after she took them pills", "critical", "immediate_danger"),
    ("had 3 xans with a bottle of vodka", "critical", "substance"),
    ("my stepbrother creeps into my room when im asleep", "high", "sexual_abuse"),
    ("he keeps walking in when i'm in the bath", "high", "sexual_abuse"),
    ("he puts his hand up my skirt under the table", "medium", "sexual_abuse"),
    ("my boyfriend told me to go in the bedroom with his mates", "medium", "sexual_exploitation"),
    ("they said there's other ways i can pay them back", "high", "sexual_exploitation"),
    ("thinking of getting on a bus and never coming back", "medium", "missing"),
    ("they take us to a different town every week", "high", "trafficking"),
    ("i dont even know what city im in", "high", "trafficking"),
    ("i have to work until the debt is paid off", "high", "trafficking"),
    ("i told my teacher i walked into a door but it was him", "high", "physical_abuse"),
    ("the bruises where he grabbed me are purple now", "high", "physical_abuse"),
    ("he threw a glass at my mum last night", "high", "domestic_abuse"),
    ("the electric has been off for weeks", "medium", "neglect"),
    ("they wont take me to the doctor even tho my ear is bleeding", "medium", "neglect"),
    ("drinking vodka before school every day", "high", "substance"),
    ("i cant sleep without a spliff now", "medium", "substance"),
    ("i chew gum all day so i dont feel hungry", "high", "eating_disorder"),
    ("i only eat an apple a day", "high", "eating_disorder"),
    ("they are taking me to bangladesh in the summer to get married", "high", "fgm_forced_marriage"),
    ("my dad says i'm marrying my cousin next year", "high", "fgm_forced_marriage"),
    ("he says he'll share them, or they'll post the pics everywhere", "high", "online_harm"),
    ("he keeps asking me to turn my cam on", "medium", "online_harm"),
    ("i never told him my address but he turned up outside", "critical", "immediate_danger"),
    ("he sent me a guide on making a bomb", "high", "radicalisation"),
    ("i dont know where i am, can someone come get me", "critical", "immediate_danger"),
    ("bathroom door is locked and shes not answering", "critical", "immediate_danger"),
    ("they took my phone and my money and im stuck at some house", "critical", "immediate_danger"),
    ("havent eaten for 3 days now, proud of myself", "high", "eating_disorder"),
    ("theres a man standing outside my window and i'm scared", "critical", "immediate_danger"),
    ("my ex keeps turning up at my school and i'm scared", "critical", "immediate_danger"),
    ("im scared for my life", "critical", "immediate_danger"),
    ("i think hes going to kill me tonight", "critical", "immediate_danger"),
    ("i've been saving my tablets for weeks", "medium", "suicide"),
    ("i keep thinking about stepping in front of a train", "high", "suicide"),
    ("there's blood all over the bathroom floor i went too deep", "critical", "self_harm"),
    ("my friend says she's going to jump tonight", "critical", "suicide"),
    ("he held me down", "high", "physical_abuse"),
    ("my step dad comes in the bathroom when i'm in there", "medium", "sexual_abuse"),
    ("some guy from snap keeps sending me money", "medium", "sexual_exploitation"),
    ("i only drink water all day", "high", "eating_disorder"),
    ("my carers think im at a sleepover but im at a mans flat", "medium", "sexual_exploitation"),
]

ROUND4_ORDINARY = [
    "i dont feel safe leaving my scooter outside the shop",
    "i don't feel safe on that rollercoaster lol",
    "is it safe to swim in the lake",
    "the new kid followed me around all day asking questions",
    "can someone come get me from training its finished early",
    "my mum took our phones at dinner time",
    "the teacher took our phones in the exam",
    "i gave my lunch to my mate cos she forgot hers",
    "my aunt is going to pakistan for a wedding in the summer",
    "she said if i tell anyone about the surprise party she'll kill me",
    "my brother will kill me for eating his last yoghurt 😂",
    "i havent been home for 5 days cos im on a school trip",
    "we're not allowed out of the classroom at lunch",
    "the heating's been broken for a week, landlord is fixing it",
    "i told my teacher i fell over at football",
    "my lips look blue cos i ate a blue slush",
    "he isn't waking up, he's such a lazy teenager",
    "the game has a list of names of the players",
    "it's our thing to get maccies on fridays",
    "we're going to the mosque on friday for prayers",
    "the plug on my straighteners broke",
    "i had a nosebleed in maths and there was blood everywhere",
    "i dont feel safe walking past that dog",
    "my phone is on 2% can someone come pick me up from town",
    "my cousin is going to india to get married and im going to the wedding",
    "mum walks in when im getting changed its so annoying",
    "not allowed out of my room till i tidy it",
    "doing lines in detention again for talking",
    "we're going to do the church fete on saturday",
    "girls are the enemy in this game lol",
    "my dad is waiting outside the school to pick me up",
    "my nan is watching the house while we're on holiday",
    "im going to jump in the pool later",
    "my dad keeps sending me money for lunch",
    "my brother held me down and tickled me lol",
    "my mum walks in the bathroom when im brushing my teeth",
    "im saving my tablets for the morning like the doctor said",
    "i only had water all day cos i forgot my lunch",
    "i dont feel safe posting my face online",
    "the cat went too deep into the cupboard",
    "blood all over my hands from the paint lol its red",
    "my dad held me down to put my plaster on",
    "im at a guys house from school doing a project",
]


@pytest.mark.parametrize("text", UNSAFE_FIRST_PERSON)
def test_first_person_unsafe_escalates(text):
    a = _assess(text)
    assert a.escalate and "immediate_danger" in a.categories, (a.severity, a.categories)


@pytest.mark.parametrize("text,severity,category", ROUND4_DISCLOSURES)
def test_round4_concepts_escalate(text, severity, category):
    a = _assess(text)
    assert RANK[a.severity] >= RANK[severity] and category in a.categories, (a.severity, a.categories)


@pytest.mark.parametrize("text", ROUND4_ORDINARY)
def test_round4_ordinary_readings_do_not_page(rules, text):
    a = _assess(text, rules)
    assert not a.escalate, (a.severity, a.categories)


def test_height_question_needs_suicide_context():
    assert not assess("whats the tallest building in london").escalate
    assert assess("is the car park roof high enough", history=["i want to die"]).severity == "critical"


PAST_AND_OVER = [
    ("i used to cut but i stopped ages ago and im proud of myself", "self_harm"),
    ("used to make myself sick after tea but i had help and im ok now", "eating_disorder"),
    ("we read a poem about self harm in english, made me think. im fine tho", "self_harm"),
]
PAST_BUT_TOLD_NOW = [
    ("my uncle used to touch me when i was little but i moved on", "sexual_abuse"),
    ("i used to cut and i did it again last night", "self_harm"),
]


@pytest.mark.parametrize("text,category", PAST_AND_OVER)
def test_harm_in_the_past_and_over_is_a_gentle_check(text, category):
    a = assess(text)
    assert (a.escalate, a.severity) == (False, "low") and category in a.categories


@pytest.mark.parametrize("text,category", PAST_BUT_TOLD_NOW)
def test_past_abuse_or_harm_happening_again_still_pages(text, category):
    a = assess(text)
    assert a.escalate and category in a.categories, (a.severity, a.categories)


LOOKALIKES = [
    "got chased by my little brother round the park 😂",
    "lowkey want to run away to a beach in spain forever ☀️",
    "i wanna disappear after that presentation everyone saw me trip",
    "my old man gave me a tenner for my birthday",
    "my old bf keeps liking my pics, so awkward",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalikes_of_danger_missing_and_older_men_do_not_page(text):
    a = assess(text)
    assert not a.escalate, (a.severity, a.categories)


def test_an_old_man_with_money_is_still_exploitation():
    a = assess("an old man keeps messaging me saying im pretty and sends me money")
    assert a.escalate and "sexual_exploitation" in a.categories


RULES_ORDINARY = [  # over and dealt with, misunderstood, hypothetical, lessons, lookalikes
    "my stepdad used to hit me but the police dealt with it and hes in prison now",
    "i thought a man was following me home but it was just my neighbour lol",
    "if i said i wanted to kill myself would u have to tell someone? not saying i do",
    "i am going to overdose on haribo at the cinema",
    "can u plug in my charger, the plug socket in my room is broken",
    "we have to do a presentation on county lines for citizenship, any facts?",
    "i dont cut, the marks on my leg are from the brambles on dofe",
    "my carer asked if anyone ever hurt me and no they havent",
    "trying to cut back on energy drinks",
    "going to the bridge after school to meet my mates",
    "this snack is only 90 calories",
    "the party is all arranged for saturday",
    "she broke her arm on the trampoline",
    "had a nightmare i was being chased by a clown lol",
    "can u get addicted to vapes? its for my project",
    "my mate said she cuts but it was a dare, shes fine",
]


@pytest.mark.parametrize("text", RULES_ORDINARY)
def test_over_misunderstood_hypothetical_lessons_and_lookalikes_are_not_pages(rules, text):
    a = rules.assess(text)
    assert not a.escalate, (a.severity, a.categories)


@pytest.mark.parametrize("text,category", [
    ("a guy from roblox is picking me up from the corner of my street later, hes said not to tell anyone", "sexual_exploitation"),
    ("how do u hide cuts from ur carers", "self_harm"),
    ("been getting the urge again to do it", "self_harm"),
    ("everyone would be easier if i was not around", "suicide"),
    ("her fella pinned her up against the wall again", "domestic_abuse"),
    ("ran off again at the weekend, not saying where i was", "missing"),
])
def test_pick_ups_hiding_cuts_urges_pinning_and_running_off_page(rules, text, category):
    a = rules.assess(text)
    assert a.escalate and category in a.categories, (a.severity, a.categories)


@pytest.mark.parametrize("text,history", [
    ("ive counted out my tablets, im going to take them when everyone is asleep", None),
    ("lol not me making a sad playlist at 3am. fr tho ive got my pills ready", None),
    ("took them all. bye", ["i did it"]),
    ("nobody would even miss me", ["got paracetamol from boots and superdrug today"]),
])
def test_a_stash_made_ready_with_a_time_or_already_taken_is_critical(rules, text, history):
    a = rules.assess(text, history)
    assert a.severity == "critical" and "suicide" in a.categories, (a.severity, a.categories)


def test_feeling_better_now_does_not_make_old_thoughts_urgent(rules):
    a = rules.assess("im feeling better now tbh", ["i said i wanted to die a few weeks back"])
    assert a.severity != "critical"


@pytest.mark.parametrize("text,severity,category", [
    ("done my goodbye letters. heading to the railway line after school", "critical", "suicide"),
    ("swallowed some magnets on purpose earlier", "critical", "self_harm"),
    ("if i was gone would anybody even care", "medium", "suicide"),
    ("i havent had my inhaler for 2 weeks, nobody got the prescription", "medium", "neglect"),
    ("been doing nos canisters every night", "medium", "substance"),
    ("my dad says the wedding is all arranged and im only 15", "medium", "fgm_forced_marriage"),
    ("her fella broke her nose at christmas", "high", "domestic_abuse"),
])
def test_plans_swallowed_objects_missed_meds_and_arranged_weddings_page(rules, text, severity, category):
    a = rules.assess(text)
    assert a.escalate and RANK[a.severity] >= RANK[severity] and category in a.categories, (a.severity, a.categories)


def test_the_whole_detector_rarely_pages_the_ordinary_readings_above():
    """Each ordinary reading above is checked against the rules; the classifier beside them trades a few false
    alarms for recall (its thresholds are cross-validated), so on the whole list it must stay under the
    issue's false-positive floor of 5%."""
    ordinary = ORDINARY + ROUND4_ORDINARY + RULES_ORDINARY + LOOKALIKES + NEGATED
    paged = [text for text in ordinary if _assess(text).escalate]
    assert len(paged) <= 0.05 * len(ordinary), paged


@pytest.mark.parametrize("text,severity", [
    ("i want to stop existing", "high"),
    ("sometimes i just wanna stop breathing", "high"),
    ("lol im fine 🙃 just want to stop existing", "low"),  # the joke cue makes it a gentle check, not silence
    ("want to stop being here at this school", "none"),
])
def test_wanting_to_stop_existing_is_suicidal_thinking(rules, text, severity):
    # found through the web chat: Rasa read "stop" as "pause" and nothing flagged it
    assert rules.assess(text).severity == severity


@pytest.mark.parametrize("text,history,severity,category", [
    ("my nan goes out drinking and forgets to leave us any dinner", None, "medium", "neglect"),
    ("they leave me and my little sister on our own till midnight most weekends", None, "medium", "neglect"),
    ("not done it since easter but i really want to tonight", ["i used to burn myself"], "medium", "self_harm"),
    ("havent self harmed for 3 months and now the urges are back", None, "medium", "self_harm"),
    ("keep pulling my eyelashes out again, theres gaps now", None, "medium", "self_harm"),
    ("i feel so in control when i skip tea", None, "medium", "eating_disorder"),
    ("theyve given me a burner, i cant tell my carers about it", None, "medium", "criminal_exploitation"),
    ("it wasnt an accident", ["got a bruise on my cheek", "told school i fell off my bike"], "high", "physical_abuse"),
    ("already took them", ["how many paracetamol would kill u"], "critical", "suicide"),
    ("an older lad at the gym keeps saying muslims are taking over and we have to act", None, "medium", "radicalisation"),
])
def test_left_unfed_urges_back_hair_pulling_secret_phones_and_cover_stories_page(rules, text, history, severity,
                                                                                  category):
    # concepts behind blind7 and blind8's misses, in new words
    a = rules.assess(text, history)
    assert a.escalate and RANK[a.severity] >= RANK[severity] and category in a.categories, (a.severity, a.categories)


@pytest.mark.parametrize("text", [
    "the older lads at rugby are massive, i got flattened in training",
    "my auntie had an arranged marriage and she picked him herself, theyre so happy",
    "turned out he was only walking his dog, i panicked for nothing",
    "this grime track is about running lines and the trap life, its hard",
    "helped my dad pay off his phone contract with my birthday money",
    "this homework has me pulling my hair out",
    "when i was with my birth mum we never had proper food but its not like that at my carers",
    "my mate has a second phone for his saturday job",
    "it wasnt an accident, i meant to scratch the car with my scooter lol",
    "just wanted to say thanks for listening",
    "gonna try again at the weekend, the driving test i mean",
    "bout to do it again, the ice bucket challenge lol",
])
def test_sport_weddings_misunderstandings_lyrics_bills_thanks_and_trying_again_are_not_pages(rules, text):
    a = rules.assess(text)
    assert not a.escalate, (a.severity, a.categories)


@pytest.mark.parametrize("text,history", [
    ("tried to overdose this morning and woke up. ill try again tonight", None),
    ("gonna try again", ["tried to hang myself on sunday"]),
    ("sat in the bath with the straighteners next to me plugged in", None),
    ("my foster dad just punched me in the face and hes still shouting hell kill me", None),
])
def test_attempts_today_trying_again_and_attacks_happening_now_are_critical(rules, text, history):
    a = rules.assess(text, history)
    assert a.severity == "critical", (a.severity, a.categories)


def test_harm_dealt_with_and_resolved_is_over_without_a_date_unless_it_goes_on(rules):
    over = rules.assess("the lads i owed got arrested and my worker says the debt isnt real, all good now")
    assert not over.escalate, (over.severity, over.categories)
    going_on = rules.assess("he got arrested but he still messages me saying he'll hurt me if i tell, im ok now tho")
    assert going_on.escalate, (going_on.severity, going_on.categories)
