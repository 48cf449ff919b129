"""Health of the api and of everything it depends on, each reported separately."""

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.database.core import DbSession
from api.database.types import utcnow
from api.dependencies import Rasa
from api.outbox.service import last_beat

WORKER_STALE = timedelta(seconds=30)


def worker_health(db_session) -> dict:
    """Report whether an outbox worker has looped recently: without one, no page leaves."""
    try:
        beat = last_beat(db_session=db_session)
    except Exception as error:
        return {"status": "down", "detail": type(error).__name__}
    if beat is None:
        return {"status": "down", "detail": "no worker has run (python -m api.worker)"}
    age = utcnow() - beat
    if age > WORKER_STALE:
        return {"status": "down", "detail": f"last seen {int(age.total_seconds())} s ago"}
    return {"status": "ok", "detail": f"last seen {age.total_seconds():.0f} s ago"}

router = APIRouter()


@router.get("/health")
def health(db_session: DbSession, rasa: Rasa) -> JSONResponse:
    """Report the database, Rasa and the action server; 503 only when messages cannot be kept."""
    try:
        db_session.execute(text("SELECT 1"))
        database = {"status": "ok", "detail": db_session.get_bind().dialect.name}
    except Exception as error:  # any failure here means messages cannot be stored
        database = {"status": "down", "detail": type(error).__name__}
    components = {
        "database": database,
        "rasa": rasa.rasa_health().as_dict(),
        "action_server": rasa.action_server_health().as_dict(),
        "worker": worker_health(db_session) if database["status"] == "ok" else {"status": "down", "detail": "database down"},
    }
    if database["status"] != "ok":
        overall, code = "down", 503
    elif all(c["status"] == "ok" for c in components.values()):
        overall, code = "ok", 200
    else:
        overall, code = "degraded", 200
    return JSONResponse({"status": overall, "components": components}, status_code=code)
