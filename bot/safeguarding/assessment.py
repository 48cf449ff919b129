"""The result types returned by assess(): Assessment and its Evidence spans."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """A span of one message that supports a category; message 0 is the current one, -1 the previous."""

    category: str
    text: str
    start: int
    end: int
    message: int

    def to_dict(self):
        return {"category": self.category, "text": self.text, "start": self.start, "end": self.end,
                "message": self.message}


@dataclass(frozen=True)
class Assessment:
    """Whether to page the duty social worker, how urgently, for what, and on which words."""

    escalate: bool
    severity: str
    categories: list = field(default_factory=list)
    evidence: list = field(default_factory=list)

    def to_dict(self):
        return {"escalate": self.escalate, "severity": self.severity, "categories": list(self.categories),
                "evidence": [e.to_dict() for e in self.evidence]}
