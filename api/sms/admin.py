"""Staff tasks for SMS until the staff pages cover them: python -m api.sms.admin COMMAND.

  opted-out                      who has opted out (pseudonym, when, the word used)
  deletions                      deletion requests waiting for a worker
  confirm-deletion ID PERSON     delete the messages of a request (safeguarding records are kept)
  block PSEUDONYM PERSON REASON  stop answering a number (its texts are still stored and assessed)
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.cli import main_for
from api.conversations.models import Conversation, Message
from api.database.types import utcnow
from api.oncall.hours import to_london
from api.sms import service as sms
from api.sms.models import DeletionRequest, InboundSms, SmsContact

DELETION_DONE = "Careline: your messages have been deleted. In danger? Call 999. Childline: 0800 1111."
DELETION_KEPT = (
    "Careline: a worker checked your request. Your messages are about keeping you safe, so the law says "
    "we must keep them. Nobody else can see them. In danger? Call 999. Childline: 0800 1111."
)


def opted_out(*, db_session: Session) -> list[tuple[str, str, str]]:
    """Return (pseudonym, when in London time, keyword) for every opted-out number."""
    rows = db_session.execute(
        select(Conversation.pseudonym, SmsContact.opted_out_at, SmsContact.opt_out_keyword)
        .join(Conversation, Conversation.id == SmsContact.conversation_id)
        .where(SmsContact.opted_out_at.is_not(None))
        .order_by(SmsContact.opted_out_at.desc())
    )
    return [(p, to_london(at).strftime("%d %b %Y %H:%M"), word or "") for p, at, word in rows]


def confirm_deletion(*, db_session: Session, request_id: int, person_id: str) -> str:
    """Carry out a deletion request: delete the messages unless they are safeguarding records."""
    request = db_session.get(DeletionRequest, request_id)
    if request is None or request.status != "queued":
        raise ValueError(f"no queued deletion request {request_id}")
    contact = db_session.scalar(select(SmsContact).where(SmsContact.conversation_id == request.conversation_id))
    now = utcnow()
    if request.has_safeguarding_records:
        request.status, words = "kept", DELETION_KEPT
    else:
        db_session.execute(delete(InboundSms).where(InboundSms.contact_id == contact.id))
        db_session.execute(delete(Message).where(Message.conversation_id == request.conversation_id))
        request.status, words = "done", DELETION_DONE
    request.handled_by, request.handled_at = person_id, now
    audit.record(
        db_session=db_session, actor=f"person:{person_id}", action=f"sms.deletion_{request.status}",
        subject_type="conversation", subject_id=request.conversation_id, at=now,
    )
    if contact is not None:
        # The number itself stays, encrypted, so that a STOP it sent is still respected.
        sms.say(db_session=db_session, contact=contact, texts=[words], author="system", now=now)
    db_session.commit()
    return request.status


def _contact_by_pseudonym(db_session: Session, pseudonym: str) -> SmsContact:
    contact = db_session.scalar(
        select(SmsContact).join(Conversation, Conversation.id == SmsContact.conversation_id).where(Conversation.pseudonym == pseudonym)
    )
    if contact is None:
        raise ValueError(f"no SMS conversation {pseudonym}")
    return contact


def handle(db_session: Session, argv: list[str]) -> int | None:
    """Carry out one command; None when the command is unknown."""
    if argv[:1] == ["opted-out"]:
        for row in opted_out(db_session=db_session):
            print("\t".join(row))
    elif argv[:1] == ["deletions"]:
        for r in db_session.scalars(select(DeletionRequest).where(DeletionRequest.status == "queued")):
            pseudonym = db_session.get(Conversation, r.conversation_id).pseudonym
            kept = "safeguarding records kept" if r.has_safeguarding_records else "can be deleted"
            print(f"{r.id}\t{pseudonym}\t{to_london(r.requested_at):%d %b %Y %H:%M}\t{kept}")
    elif argv[:1] == ["confirm-deletion"] and len(argv) == 3:
        print(confirm_deletion(db_session=db_session, request_id=int(argv[1]), person_id=argv[2]))
    elif argv[:1] == ["block"] and len(argv) >= 4:
        contact = _contact_by_pseudonym(db_session, argv[1])
        sms.block(db_session=db_session, contact=contact, person_id=argv[2], reason=" ".join(argv[3:]), now=utcnow())
        db_session.commit()
        print(f"blocked {argv[1]}")
    else:
        return None
    return 0


if __name__ == "__main__":
    main_for(handle, __doc__)
