"""One error model: every domain exception has one status, answered by the one handler as a problem
document (API) or a Dutch HTML page (browser)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.exceptions import WebSocketRequestValidationError
from fastapi.testclient import TestClient

import registry
import service
import service.app
import signing
import templates
from registry.errors import RegistryError
from service.accounts.guard import PAGE_TAG
from service.errors import HANDLED, STATUS_BY_EXCEPTION, answer_error, install_error_handlers, status_for
from service.failures import DomainError, Failure, is_domain_error
from service.settings import Settings
from signing.errors import SigningError
from templates.errors import TemplatesError

# every module of the four packages, so every exception class defined anywhere counts
for _package in (service, templates, signing, registry):
    for _info in pkgutil.walk_packages(_package.__path__, f"{_package.__name__}."):
        if ".migrations" not in _info.name:
            importlib.import_module(_info.name)

BASES: tuple[type[Exception], ...] = (Failure, TemplatesError, SigningError, RegistryError)


MESSAGE = "Deze melding is voor de test."


def _all_subclasses(cls: type[Exception]) -> list[type[Exception]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out.extend(_all_subclasses(sub))
    return out


DOMAIN_CLASSES = sorted(
    {c for base in BASES for c in _all_subclasses(base)}, key=lambda c: f"{c.__module__}.{c.__qualname__}"
)


def _instance(cls: type[Exception]) -> Exception:
    """One instance of ``cls`` with a Dutch message (other required arguments: a field name)."""
    required = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    assert "message" in required, cls
    return cls(**{name: MESSAGE if name == "message" else "veld" for name in required})


def test_every_domain_class_is_found() -> None:
    names = {c.__name__ for c in DOMAIN_CLASSES}
    # one of each package's errors, so the walk below is not vacuous
    assert {"NotFound", "DossierInvalid", "FieldNotFound", "Refused", "LinkUsed", "EditorInputError"} <= names
    assert {"MailError", "BackupCorrupt", "SignatureRefused", "AccountExists"} <= names


def test_no_row_of_the_table_is_shadowed_and_none_is_listed_twice() -> None:
    classes = [cls for cls, _ in STATUS_BY_EXCEPTION]
    assert len(classes) == len(set(classes))
    for i, (cls, _) in enumerate(STATUS_BY_EXCEPTION):
        earlier = [c for c, _ in STATUS_BY_EXCEPTION[:i] if issubclass(cls, c)]
        assert not earlier, f"{cls.__name__} comes after its base {earlier[0].__name__}: never reached"


def test_no_exception_class_carries_its_own_status() -> None:
    # the status lives in service/errors.py only
    assert [c.__name__ for c in DOMAIN_CLASSES if "status" in vars(c)] == []


@pytest.mark.parametrize("cls", DOMAIN_CLASSES, ids=lambda c: c.__name__)
def test_each_domain_exception_has_the_shape_and_one_status(cls: type[Exception]) -> None:
    exc = _instance(cls)
    assert is_domain_error(exc) and isinstance(exc, DomainError)
    assert exc.message == MESSAGE
    assert exc.code and exc.code == exc.code.lower() and " " not in exc.code
    matching = [status for base, status in STATUS_BY_EXCEPTION if isinstance(exc, base)]
    assert matching, f"{cls.__name__} has no status"
    assert status_for(exc) == matching[0]  # the most specific row: one status per class
    assert 400 <= status_for(exc) < 600
    # the one handler is the one FastAPI picks for it (by the class's MRO)
    assert any(issubclass(cls, handled) for handled in HANDLED if handled is not Exception)


def _app() -> FastAPI:
    app = FastAPI()
    app.state.secret_key = b"sleutel-voor-de-test"  # the page's CSRF token is derived from it
    install_error_handlers(app)
    by_name = {c.__name__: c for c in DOMAIN_CLASSES}

    @app.get("/api/fout/{name}")
    def api(name: str) -> None:
        raise _instance(by_name[name])

    @app.get("/pagina/fout/{name}", tags=[PAGE_TAG])
    def page(name: str) -> None:
        raise _instance(by_name[name])

    return app


def test_the_one_handler_answers_the_api_with_a_problem_document_and_a_browser_with_a_page() -> None:
    client = TestClient(_app())
    for cls in DOMAIN_CLASSES:
        status = status_for(_instance(cls))
        r = client.get(f"/api/fout/{cls.__name__}")
        assert r.status_code == status, cls.__name__
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["code"] == cls.code
        assert body["melding"] == MESSAGE
        assert body["status"] == status
        assert isinstance(body["fouten"], list)
        if status == 401:
            continue  # a browser is sent to the log-in page (tested in test_permissions)
        page = client.get(f"/pagina/fout/{cls.__name__}")
        assert page.status_code == status, cls.__name__
        assert page.headers["content-type"].startswith("text/html")
        assert MESSAGE in page.text
        assert '<html lang="nl"' in page.text


def test_a_refusal_names_its_article_in_the_problem_document() -> None:
    from registry.errors import Refused

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/geweigerd")
    def refused() -> None:
        raise Refused("Verstrekking geweigerd.", field="ontvanger", article="Artikel 20 lid 1 Wpg")

    body = TestClient(app).get("/api/geweigerd").json()
    assert body["artikel"] == "Artikel 20 lid 1 Wpg"
    assert body["fouten"] == [
        {"pad": "ontvanger", "melding": "Verstrekking geweigerd.", "artikel": "Artikel 20 lid 1 Wpg"}
    ]


def test_the_app_has_one_handler_for_every_exception_it_answers(tmp_path: Path) -> None:
    app = service.app.create_app(Settings(data_dir=tmp_path))
    handlers = {
        cls: h
        for cls, h in app.exception_handlers.items()
        if isinstance(cls, type) and cls is not WebSocketRequestValidationError  # FastAPI's; no websockets
    }
    assert set(HANDLED) <= set(handlers)
    assert set(handlers.values()) == {answer_error}
