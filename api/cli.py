"""Run a small staff command against the configured database, with plain errors."""

import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

import api.database.models  # noqa: F401 - every table, so relationships resolve
from api.config import get_settings
from api.database.core import make_db_engine, make_session_factory


def run(handler: Callable[[Session, list[str]], int | None], usage: str, argv: list[str]) -> int:
    """Call handler(db_session, argv); None means an unknown command (usage, exit 2); ValueError exits 1."""
    engine = make_db_engine(get_settings().database_url)
    try:
        with make_session_factory(engine)() as db_session:
            result = handler(db_session, argv)
    except ValueError as error:
        print(f"error: {error}")
        return 1
    finally:
        engine.dispose()
    if result is None:
        print(usage)
        return 2
    return result


def main_for(handler: Callable[[Session, list[str]], int | None], usage: str) -> None:
    """Exit with what the handler returns for this process's arguments."""
    sys.exit(run(handler, usage, sys.argv[1:]))
