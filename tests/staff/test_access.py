"""Every role on every staff route: the server decides, by role and by assignment."""

import re

import pytest
from sqlalchemy import select

from api.audit.models import AuditEvent
from api.conversations.models import Conversation
from api.escalation.models import Escalation
from tests.staff.conftest import csrf_of

ROLES = [None, "sam", "mo", "ada", "root"]  # nobody, duty worker, manager, advocate, admin
TABLE = [
    # route                               nobody sam  mo   ada  root
    ("/staff/inbox",                       303,  200, 200, 403, 403),
    ("/staff/inbox.json",                  401,  200, 200, 403, 403),
    ("/staff/escalations/{escalation}",    303,  200, 200, 403, 403),
    ("/staff/conversations",               303,  200, 200, 200, 403),
    ("/staff/conversations/{conversation}", 303, 404, 200, 404, 403),
    ("/staff/audit",                       303,  403, 200, 403, 403),
    ("/staff/rota",                        303,  403, 200, 403, 403),
    ("/staff/users",                       303,  403, 403, 403, 200),
    ("/staff/scorecard",                   303,  403, 200, 403, 403),
]


def test_every_role_on_every_route(as_role, disclosure, session):
    escalation = session.scalars(select(Escalation)).one()
    ids = {"escalation": escalation.id, "conversation": escalation.conversation_id}
    answers = {}
    for route, *expected in TABLE:
        for role, want in zip(ROLES, expected):
            got = as_role(role).get(route.format(**ids), follow_redirects=False).status_code
            answers[(route, role)] = (got, want)
    wrong = {key: value for key, value in answers.items() if value[0] != value[1]}
    assert wrong == {}


def test_a_duty_worker_sees_the_words_only_once_handling_and_every_view_is_logged(as_role, disclosure, session):
    sam = as_role("sam")
    escalation = session.scalars(select(Escalation)).one()
    page = sam.get(f"/staff/escalations/{escalation.id}")
    assert "hits me" not in page.text and "Acknowledge to read" not in page.text
    assert sam.post(f"/staff/escalations/{escalation.id}/acknowledge", data={"csrf": csrf_of(page.text)}).status_code == 200
    page = sam.get(f"/staff/escalations/{escalation.id}")
    assert "my dad hits me and i have bruises" in page.text
    assert sam.get(f"/staff/conversations/{escalation.conversation_id}").status_code == 200
    views = session.scalars(select(AuditEvent).where(AuditEvent.action == "transcript.viewed")).all()
    assert len(views) == 3 and all(v.subject_id == escalation.conversation_id for v in views)  # after ack, again, timeline


def test_a_manager_must_say_why_and_the_reason_is_logged(as_role, disclosure, session):
    mo = as_role("mo")
    conversation = session.scalars(select(Conversation)).one()
    first = mo.get(f"/staff/conversations/{conversation.id}")
    assert "Why do you need to read" in first.text and "hits me" not in first.text
    second = mo.get(f"/staff/conversations/{conversation.id}", params={"reason": "Checking the out-of-hours response"})
    assert "my dad hits me" in second.text
    [view] = session.scalars(select(AuditEvent).where(AuditEvent.action == "transcript.viewed")).all()
    assert view.details["break_glass_reason"] == "Checking the out-of-hours response"


def test_an_advocate_sees_only_their_caseload(as_role, disclosure, session):
    ada, mo = as_role("ada"), as_role("mo")
    conversation = session.scalars(select(Conversation)).one()
    assert conversation.pseudonym not in ada.get("/staff/conversations").text
    rota = mo.get("/staff/rota")
    mo.post("/staff/assignments", data={"csrf": csrf_of(rota.text), "username": "ada", "pseudonym": conversation.pseudonym})
    assert conversation.pseudonym in ada.get("/staff/conversations").text
    assert "my dad hits me" in ada.get(f"/staff/conversations/{conversation.id}").text


@pytest.mark.parametrize("csrf", [None, "wrong"])
def test_forms_without_the_right_csrf_token_are_refused(as_role, disclosure, session, csrf):
    escalation = session.scalars(select(Escalation)).one()
    data = {} if csrf is None else {"csrf": csrf}
    response = as_role("sam").post(f"/staff/escalations/{escalation.id}/acknowledge", data=data)
    assert response.status_code == 403 and "out of date" in response.text
    session.expire_all()
    assert session.get(Escalation, escalation.id).status == "open"


POSTS = [
    # route, form                                                            sam  mo   ada  root
    ("/staff/users", {"username": "new", "display_name": "New", "password": "long-enough-pass", "roles": "advocate"}, 403, 403, 403, 303),
    ("/staff/rota/overrides", {"kind": "primary", "person_id": "kai", "start": "2026-12-01T09:00", "end": "2026-12-01T17:00", "reason": "swap"}, 403, 303, 403, 403),
    ("/staff/assignments", {"username": "ada", "pseudonym": "{pseudonym}"}, 403, 303, 403, 403),
    ("/staff/users/1/roles", {"roles": "duty_worker"}, 403, 403, 403, 303),
    ("/staff/escalations/{escalation}/acknowledge", {}, 303, 303, 403, 403),
]


def test_every_role_on_every_form(as_role, disclosure, session):
    escalation = session.scalars(select(Escalation)).one()
    pseudonym = session.get(Conversation, escalation.conversation_id).pseudonym
    wrong = {}
    for route, form, *expected in POSTS:
        for role, want in zip(ROLES[1:], expected):
            client = as_role(role)
            home = client.get("/staff", follow_redirects=True)
            data = {k: v.format(pseudonym=pseudonym) for k, v in form.items()} | {"csrf": csrf_of(home.text)}
            got = client.post(route.format(escalation=escalation.id), data=data, follow_redirects=False).status_code
            if got != want:
                wrong[(route, role)] = (got, want)
    assert wrong == {}
    assert as_role(None).post("/staff/users", data={}, follow_redirects=False).status_code == 303  # to sign in


def test_the_scorecard_counts_alerts_and_time_to_acknowledge(as_role, disclosure, session):
    escalation = session.scalars(select(Escalation)).one()
    sam = as_role("sam")
    page = sam.get(f"/staff/escalations/{escalation.id}")
    sam.post(f"/staff/escalations/{escalation.id}/acknowledge", data={"csrf": csrf_of(page.text)})
    text = as_role("mo").get("/staff/scorecard").text
    assert re.search(r"Alerts</th><td>1<", text) and "Median time to acknowledge</th><td>0.0 min" in text


def test_an_admin_cannot_remove_their_own_admin_role(as_role, session):
    from api.staff.models import StaffUser

    root = as_role("root")
    me = session.scalar(select(StaffUser).where(StaffUser.username == "root"))
    page = root.get("/staff/users")
    response = root.post(f"/staff/users/{me.id}/roles", data={"csrf": csrf_of(page.text), "roles": "manager"})
    assert response.status_code == 422 and "cannot remove your own admin role" in response.text


def test_only_the_worker_who_acknowledged_or_a_manager_acts_on_an_alert(as_role, disclosure, session):
    escalation = session.scalars(select(Escalation)).one()
    sam, kai = as_role("sam"), as_role("kai")
    sam.post(f"/staff/escalations/{escalation.id}/acknowledge", data={"csrf": csrf_of(sam.get("/staff/inbox").text)})
    for action in ("takeover", "reply", "handback", "resolve"):
        response = kai.post(f"/staff/escalations/{escalation.id}/{action}", data={"csrf": csrf_of(kai.get("/staff/inbox").text), "text": "x", "outcome": "x"})
        assert response.status_code == 403, action
    session.expire_all()
    assert session.get(Escalation, escalation.id).status == "acknowledged"
