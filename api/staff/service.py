"""Sign-in, sessions and who may see what; every check happens on the server."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.escalation.models import Escalation
from api.staff import security
from api.staff.models import ROLES, Assignment, StaffSession, StaffUser
from api.takeover.models import Takeover

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=12)


class LoginFailed(Exception):
    """Wrong name, password or code, or a locked account; the message is safe to show."""


def create_user(
    *, db_session: Session, username: str, display_name: str, password: str, roles: list[str], person_id: str | None = None
) -> StaffUser:
    """Add a staff account with an argon2 password hash."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"roles must be some of {', '.join(ROLES)}")
    user = StaffUser(
        username=username.strip().lower(), display_name=display_name, roles=list(roles),
        password_hash=security.hash_password(password), person_id=person_id,
    )
    db_session.add(user)
    db_session.flush()
    return user


def authenticate(*, db_session: Session, username: str, password: str, code: str | None, now: datetime) -> StaffUser:
    """Return the user, or raise LoginFailed; five failures lock the account for 15 minutes."""
    user = db_session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
    if user is None or not user.active:
        security.check_password(security.HASHER.hash("timing"), password)  # same work either way
        raise LoginFailed("That name and password do not match.")
    if user.locked_until and user.locked_until > now:
        raise LoginFailed("Too many tries. This account is locked for 15 minutes; ask a manager if you need it now.")
    ok = security.check_password(user.password_hash, password)
    if ok and user.totp_secret and not security.check_totp(user.totp_secret, code or "", at=now.timestamp()):
        ok = False
    if not ok:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
            audit.record(db_session=db_session, actor=f"staff:{user.id}", action="staff.locked_out", subject_type="staff_user", subject_id=user.id, at=now)
        db_session.commit()
        raise LoginFailed("That name and password do not match." + (" Check the code from your app too." if user.totp_secret else ""))
    user.failed_logins, user.locked_until = 0, None
    return user


def start_session(*, db_session: Session, user: StaffUser, now: datetime) -> tuple[str, StaffSession]:
    """Return the cookie token for a new session."""
    token = security.new_token()
    session = StaffSession(token_hash=security.token_hash(token), user_id=user.id, csrf_token=security.new_token(), created_at=now, last_seen_at=now)
    db_session.add(session)
    audit.record(db_session=db_session, actor=f"staff:{user.id}", action="staff.signed_in", subject_type="staff_user", subject_id=user.id, at=now)
    db_session.commit()
    return token, session


def session_for(*, db_session: Session, token: str | None, now: datetime) -> tuple[StaffUser, StaffSession] | None:
    """Return the signed-in user for a cookie, ending sessions idle 30 minutes or older than 12 hours."""
    if not token:
        return None
    session = db_session.get(StaffSession, security.token_hash(token))
    if session is None:
        return None
    if now - session.last_seen_at > SESSION_IDLE or now - session.created_at > SESSION_MAX:
        db_session.delete(session)
        db_session.commit()
        return None
    user = db_session.get(StaffUser, session.user_id)
    if user is None or not user.active:
        return None
    session.last_seen_at = now
    db_session.commit()
    return user, session


def end_session(*, db_session: Session, token: str) -> None:
    """Sign out."""
    session = db_session.get(StaffSession, security.token_hash(token))
    if session is not None:
        db_session.delete(session)
        db_session.commit()


@dataclass(frozen=True)
class Access:
    """Whether a user may open a conversation, and whether they must say why (a manager's break-glass)."""

    allowed: bool
    needs_reason: bool = False


def handles(*, db_session: Session, user: StaffUser, conversation_id: str) -> bool:
    """True when the user's on-call person acknowledged an escalation of this conversation or took it over."""
    if not user.person_id:
        return False
    acknowledged = db_session.scalar(
        select(Escalation.id).where(Escalation.conversation_id == conversation_id, Escalation.acknowledged_by == user.person_id).limit(1)
    )
    took_over = db_session.scalar(
        select(Takeover.id).where(Takeover.conversation_id == conversation_id, Takeover.person_id == user.person_id).limit(1)
    )
    return bool(acknowledged or took_over)


def assigned(*, db_session: Session, user: StaffUser, conversation_id: str) -> bool:
    """True when the conversation is in this advocate's caseload."""
    return db_session.get(Assignment, (user.id, conversation_id)) is not None


def conversation_access(*, db_session: Session, user: StaffUser, conversation_id: str) -> Access:
    """Decide who sees a transcript: handlers, assigned advocates, managers with a reason; never admin alone."""
    roles = set(user.roles)
    if "duty_worker" in roles and handles(db_session=db_session, user=user, conversation_id=conversation_id):
        return Access(True)
    if "advocate" in roles and assigned(db_session=db_session, user=user, conversation_id=conversation_id):
        return Access(True)
    if "manager" in roles:
        return Access(True, needs_reason=True)
    return Access(False)


def visible_conversation_ids(*, db_session: Session, user: StaffUser):
    """A query of the conversation ids this user may find in search (managers: all)."""
    from api.conversations.models import Conversation

    if "manager" in user.roles:
        return select(Conversation.id)
    mine = select(Assignment.conversation_id).where(Assignment.user_id == user.id)
    if "duty_worker" in user.roles and user.person_id:
        handled = select(Escalation.conversation_id).where(Escalation.acknowledged_by == user.person_id)
        taken = select(Takeover.conversation_id).where(Takeover.person_id == user.person_id)
        return select(Conversation.id).where(or_(Conversation.id.in_(mine), Conversation.id.in_(handled), Conversation.id.in_(taken)))
    return mine
