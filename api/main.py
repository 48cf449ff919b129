"""The api: the only door from outside, for the web chat, SMS and staff."""

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.config import Settings, get_settings
from api.database.core import make_db_engine, make_session_factory
from api.errors import BodySizeLimit, install_error_handlers
from api.escalation.views import router as escalation_router
from api.health.views import router as health_router
from api.outbox.views import router as outbox_router
from api.sms.views import router as sms_router
from api.staff.views import router as staff_router
from api.staff.views import install_staff_errors
from api.rasa_client import RasaClient
from bot.safeguarding import get_detector
from api.webchat.views import router as webchat_router


def create_app(settings: Settings | None = None, rasa_transport=None) -> FastAPI:
    """Build the FastAPI application; tests may pass an httpx transport that plays Rasa."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = make_db_engine(settings.database_url)
        app.state.session_factory = make_session_factory(engine)
        get_detector()  # load the safeguarding lexicons now, not on a young person's first message
        app.state.rasa = RasaClient(
            rasa_url=settings.rasa_url,
            action_server_url=settings.action_server_url,
            timeout=settings.rasa_timeout_seconds,
            health_timeout=settings.health_timeout_seconds,
            transport=rasa_transport,
        )
        yield
        app.state.rasa.close()
        engine.dispose()

    app = FastAPI(title="Careline", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    app.mount(
        "/static", StaticFiles(directory=Path(__file__).parent / "webchat" / "static"), name="static"
    )
    app.include_router(webchat_router)
    app.include_router(health_router)
    app.include_router(escalation_router)
    app.include_router(sms_router)
    app.include_router(outbox_router)
    app.include_router(staff_router)
    install_staff_errors(app)
    return app


app = create_app()
