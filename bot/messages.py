"""Words the service says outside the Rasa domain, in plain language a 12-year-old understands."""

HELPLINES = (
    "If you're in danger right now, call 999. "
    "You can talk to Childline any time on 0800 1111 (free). "
    "If you've run away or are thinking about it, call or text the Runaway Helpline on 116 000."
)

ENGINE_UNAVAILABLE = (
    "Sorry, I can't answer properly right now, but your message is saved. "
    + HELPLINES
)

WELCOME = (
    "Hi, I'm the Careline chat bot. I'm here to help you reach people who can help. "
    "This chat is not secret: if you tell me something that means you or someone else "
    "might not be safe, I'll tell a social worker so they can help."
)

# Said at once when a message needs a human. Never promises secrecy; says who is told and why;
# gives a way to get help now; asks if they are safe; then lets them carry on.
ESCALATION_REPLIES = (
    "Thank you for telling me. You did the right thing.",
    "I'm telling the duty social worker now, so a real person can help keep you safe. "
    "I can't keep this just between us, because keeping you safe matters most.",
    "If you're in danger right now, call 999. You can also talk to Childline on 0800 1111, "
    "free, any time. The duty social worker will read what you wrote and get in touch with you soon. "
    "You can keep talking to me while you wait.",
    "Are you somewhere safe right now?",
)

# Said when the conversation already has an escalation open: no need to repeat everything.
ESCALATION_FOLLOW_UP_REPLIES = (
    "Thank you for telling me. I've added this to what the duty social worker will see.",
    "If you're in danger right now, call 999. Childline is there for you too, on 0800 1111.",
)

# What Rasa says when it did not understand (domain.yml: utter_default, utter_out_of_scope). After a
# message the detector rates "low" the gentle check takes their place: the young person said something
# that matters, so "Sorry, I didn't get that" is the wrong answer.
NOT_UNDERSTOOD = (
    "Sorry, I didn't get that. Could you say it another way?",
    "Sorry, I can't help with that one.",
)

# Said after a message the detector rates "low": worth a gentle check, not a page.
GENTLE_CHECK = (
    "Just checking in: are you OK? If something's worrying you, you can tell me, "
    "or talk to Childline on 0800 1111, free, any time."
)


def _first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.strip() else "A duty social worker"


def takeover_started(worker_name: str) -> str:
    """Said when a duty worker takes over from the bot."""
    return (
        f"Hi, this is {_first_name(worker_name)}, a duty social worker. I'm a real person and "
        "I've read what you told the bot. I'm here now. Are you safe right now? "
        "If you're in danger, call 999."
    )


def takeover_handed_back(worker_name: str) -> str:
    """Said when the worker hands the conversation back to the bot."""
    return (
        f"{_first_name(worker_name)} has finished chatting for now, so you're back with the Careline bot. "
        "You can still message any time. " + HELPLINES
    )


def takeover_ended_idle() -> str:
    """Said when the worker has gone quiet and the bot takes the conversation back."""
    return (
        "The duty social worker has had to step away, so you're back with the Careline bot. "
        "What you told us is saved and they will come back to you. " + HELPLINES
    )


# SMS: the first reply of every conversation says how to opt out, so nobody cuts themselves off by accident.
SMS_OPT_OUT_NOTICE = (
    "Texts to and from Careline are free. If you text STOP you won't get any more texts from us, "
    "not even if you need help, until you text START."
)
SMS_HELP = (
    "Careline is a free text service for young people in care. I'm a chat bot and I can get you "
    "to a social worker. It's not secret: if you're not safe, I tell a social worker. "
    "In danger? Call 999. Childline: 0800 1111, free, any time. Text STOP to stop texts."
)
SMS_STOPPED = (
    "You won't get any more texts from Careline. Text START if you want to talk again. "
    "In danger? Call 999. Childline: 0800 1111, free, any time."
)
SMS_STARTED = "Welcome back to Careline. You can text me any time. " + SMS_OPT_OUT_NOTICE
SMS_MEDIA_ONLY = (
    "I can only read words, not pictures, videos or voice notes. Could you type what you wanted to say? "
    "In danger? Call 999."
)
SMS_EMPTY = "Your text was empty. Type what you want to say and send it again. In danger? Call 999."
SMS_DELETE_QUEUED = (
    "OK. I've asked a worker to delete your messages. We have to keep anything about keeping you safe, "
    "because the law says so. A worker will check and it's done within a month. In danger? Call 999."
)
