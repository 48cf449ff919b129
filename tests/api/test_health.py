"""GET /health reports the database, Rasa and the action server separately."""

from datetime import timedelta

import httpx

from api.database.types import utcnow
from api.outbox import service as outbox


def _worker_looped(db_session_for, url, *, ago=timedelta(0)):
    with db_session_for(url) as db_session:
        outbox.beat(db_session=db_session, worker="test-worker", now=utcnow() - ago)


def test_everything_up(client, db_session_for, sqlite_url):
    _worker_looped(db_session_for, sqlite_url)
    report = client.get("/health")
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "database": "ok",
        "rasa": "ok",
        "action_server": "ok",
        "worker": "ok",
    }


def test_no_worker_means_no_page_leaves_so_health_says_so(client, db_session_for, sqlite_url):
    assert client.get("/health").json()["components"]["worker"]["status"] == "down"
    _worker_looped(db_session_for, sqlite_url, ago=timedelta(minutes=5))
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["components"]["worker"] == {"status": "down", "detail": "last seen 300 s ago"}


def test_rasa_down_is_degraded_but_the_api_still_takes_messages(client, rasa):
    rasa.failure = httpx.ConnectError("refused")
    report = client.get("/health")
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "degraded"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["rasa"] == {"status": "down", "detail": "ConnectError"}


def test_database_down_is_503(client_for):
    client = client_for("postgresql://nobody@127.0.0.1:1/careline")
    report = client.get("/health")
    assert report.status_code == 503
    assert report.json()["components"]["database"]["status"] == "down"
