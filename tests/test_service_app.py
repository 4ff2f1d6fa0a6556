from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings


def test_health_answers_ok(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path)))
    assert client.get("/health").json() == {"status": "ok"}


def test_unknown_route_answers_in_dutch(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path)))
    r = client.get("/bestaat-niet")
    assert r.status_code == 404
    assert r.json()["melding"] == "Niet gevonden."
