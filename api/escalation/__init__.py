"""Escalation domain: safeguarding assessments and the escalations they open."""
