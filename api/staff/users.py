"""Staff accounts from the command line: python -m api.staff.users COMMAND.

  create-admin USERNAME "Display Name"   the first admin; the password is read from STAFF_PASSWORD or asked
  totp USERNAME                          set up a second factor; prints the secret for an authenticator app
  demo                                   demo accounts for `make run` (only into an empty user table)
"""

import getpass
import os

from sqlalchemy import func, select

from api.cli import main_for
from api.staff import security, service
from api.staff.models import StaffUser

DEMO_PASSWORD = "careline-demo-only"
DEMO_USERS = [
    ("sam", "Sam Duty", ["duty_worker"], "sam"),
    ("kai", "Kai Backup", ["duty_worker"], "kai"),
    ("mo", "Mo Manager", ["manager"], "mo"),
    ("ada", "Ada Advocate", ["advocate"], None),
    ("root", "Admin", ["admin"], None),
]


def create_demo_users(db_session) -> list[str]:
    """Add the demo accounts if there are no accounts yet; returns lines to print."""
    if db_session.scalar(select(func.count(StaffUser.id))):
        return []
    from api.oncall.models import Person

    lines = []
    for username, name, roles, person_id in DEMO_USERS:
        person_id = person_id if person_id and db_session.get(Person, person_id) else None
        service.create_user(db_session=db_session, username=username, display_name=name, password=DEMO_PASSWORD, roles=roles, person_id=person_id)
        lines.append(f"  {username:5} {', '.join(roles)}")
    db_session.commit()
    return lines


def handle(db_session, argv: list[str]) -> int | None:
    """Carry out one command; None when the command is unknown."""
    if argv[:1] == ["demo"]:
        lines = create_demo_users(db_session)
        if lines:
            print(f"Demo staff accounts (password {DEMO_PASSWORD!r}, for a laptop only):")
            print("\n".join(lines))
    elif argv[:1] == ["create-admin"] and len(argv) == 3:
        password = os.environ.get("STAFF_PASSWORD") or getpass.getpass("Password (12+ characters): ")
        service.create_user(db_session=db_session, username=argv[1], display_name=argv[2], password=password, roles=["admin"])
        db_session.commit()
        print(f"admin {argv[1]} created")
    elif argv[:1] == ["totp"] and len(argv) == 2:
        user = db_session.scalar(select(StaffUser).where(StaffUser.username == argv[1].lower()))
        if user is None:
            raise ValueError(f"no user {argv[1]}")
        user.totp_secret = security.new_totp_secret()
        db_session.commit()
        print(f"Add this secret to the authenticator app of {argv[1]}: {user.totp_secret}")
    else:
        return None
    return 0


if __name__ == "__main__":
    main_for(handle, __doc__)
