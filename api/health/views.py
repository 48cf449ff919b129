"""Health of the api and of everything it depends on, each reported separately."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.database.core import DbSession
from api.dependencies import Rasa

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
    }
    if database["status"] != "ok":
        overall, code = "down", 503
    elif all(c["status"] == "ok" for c in components.values()):
        overall, code = "ok", 200
    else:
        overall, code = "degraded", 200
    return JSONResponse({"status": overall, "components": components}, status_code=code)
