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
