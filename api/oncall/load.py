"""Load a team's rota file into the database: python -m api.oncall.load [FILE].

Problems (overlaps, empty periods, gaps in cover) are printed, and managers are texted about gaps.
"""

import sys

import api.database.models  # noqa: F401 - every table, so relationships resolve
from api.config import get_settings
from api.database.core import make_db_engine, make_session_factory
from api.database.types import utcnow
from api.oncall import service
from api.oncall.rota import GAP_LOOKAHEAD, RotaError, read_rota_file
from api.outbox import service as outbox


def load(path: str, *, database_url: str, now=None) -> list[str]:
    """Read, check and store a rota; returns the problems found, in plain words."""
    now = now or utcnow()
    rota = read_rota_file(path, now=now)
    engine = make_db_engine(database_url)
    try:
        with make_session_factory(engine)() as db_session:
            team = service.sync_team(db_session=db_session, rota=rota)
            # Managers are texted about gaps in primary cover; a missing backup is only reported.
            gaps = [p for p in rota.problems if p.kind == "gap"]
            managers = service.who_is_on_call(db_session=db_session, team_id=team.id, at=now).managers
            for gap in gaps:
                # Keyed by the gap itself, so reloading the file does not text about it again: a gap
                # already under way or running past the look-ahead has no fixed start or end here.
                start = "now" if gap.start <= now else gap.start.isoformat()
                end = "open" if gap.end >= now + GAP_LOOKAHEAD else gap.end.isoformat()
                for manager in managers:
                    if manager.phone:
                        outbox.enqueue(
                            db_session=db_session, kind="rota_alert", to_number=manager.phone,
                            person_id=manager.id, body=f"Careline rota problem: {gap.message}",
                            dedupe_key=f"rota-gap:{team.id}:{start}:{end}:{manager.id}"[:120],
                            now=now,
                        )
            db_session.commit()
    finally:
        engine.dispose()
    return [problem.message for problem in rota.problems]


def main(argv: list[str]) -> int:
    """Load the file named on the command line or by ONCALL_ROTA_FILE."""
    settings = get_settings()
    path = argv[0] if argv else settings.oncall_rota_file
    if not path:
        print("No rota file: set ONCALL_ROTA_FILE or name one. Escalations cannot be paged without one.")
        return 2
    try:
        problems = load(path, database_url=settings.database_url)
    except RotaError as error:
        print(f"Rota not loaded: {error}")
        return 1
    print(f"Rota loaded from {path}.")
    for problem in problems:
        print(f"  problem: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
