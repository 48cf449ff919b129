"""GET /health reports the database, Rasa and the action server separately."""

import httpx


def test_everything_up(client):
    report = client.get("/health")
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "database": "ok",
        "rasa": "ok",
        "action_server": "ok",
    }


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
