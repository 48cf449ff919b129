"""Signing in: wrong passwords, lockout, the second factor, idle sessions, signing out."""

from datetime import timedelta

from sqlalchemy import select

from api.staff import security
from api.staff.models import StaffSession, StaffUser
from tests.staff.conftest import csrf_of, sign_in


def test_a_right_password_signs_in_with_a_safe_cookie(staff_app):
    client = staff_app()
    response = sign_in(client, "sam")
    assert response.status_code == 303 and response.headers["location"] == "/staff/inbox"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/staff" in cookie


def test_wrong_passwords_lock_the_account_for_a_while(staff_app, session):
    client = staff_app()
    for _ in range(5):
        assert sign_in(client, "sam", "not-the-password").status_code == 401
    locked = sign_in(client, "sam")
    assert locked.status_code == 401 and "locked for 15 minutes" in locked.text
    assert sign_in(client, "nobody-here", "whatever-password").status_code == 401


def test_with_a_second_factor_the_code_is_needed(staff_app, session):
    user = session.scalar(select(StaffUser).where(StaffUser.username == "kai"))
    user.totp_secret = security.new_totp_secret()
    session.commit()
    client = staff_app()
    assert sign_in(client, "kai").status_code == 401
    assert sign_in(client, "kai", code="000000" if security.totp(user.totp_secret) != "000000" else "111111").status_code == 401
    assert sign_in(client, "kai", code=security.totp(user.totp_secret)).status_code == 303


def test_an_idle_session_expires_and_signing_out_ends_it(staff_app, session):
    client = staff_app()
    sign_in(client, "sam")
    stored = session.scalars(select(StaffSession)).one()
    stored.last_seen_at -= timedelta(minutes=31)
    session.commit()
    assert client.get("/staff/inbox", follow_redirects=False).headers["location"] == "/staff/login?next=/staff/inbox"
    sign_in(client, "sam")
    page = client.get("/staff/inbox")
    assert client.post("/staff/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    assert client.get("/staff/inbox", follow_redirects=False).status_code == 303


def test_messages_with_html_show_as_text_on_staff_pages(as_role, staff_app, session, make_worker, paging_db):
    from tests.conftest import new_conversation_id
    from api.escalation.models import Escalation

    chat = staff_app()
    chat.post("/chat/messages", json={"conversation_id": new_conversation_id(), "text": 'my dad hits me <script>alert("x")</script>'})
    make_worker(paging_db).run_once()
    sam = as_role("sam")
    escalation = session.scalars(select(Escalation)).one()
    page = sam.get(f"/staff/escalations/{escalation.id}")
    sam.post(f"/staff/escalations/{escalation.id}/acknowledge", data={"csrf": csrf_of(page.text)})
    html = sam.get(f"/staff/escalations/{escalation.id}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
