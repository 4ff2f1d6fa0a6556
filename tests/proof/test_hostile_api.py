"""Schemathesis against the app's own OpenAPI description, in-process over ASGI: generated requests to
every operation, each sent with the API token of a role that may use it (so handlers are reached, not
only the guard). No response may be a server error (5xx) and none may raise.

Size: ``CONVENANT_PROOF_EXAMPLES`` examples per operation (CI default 20; the full run uses 150, which
sends well over 5,000 requests). ``test_zz_enough_requests_were_sent`` reports and checks the total."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.proof.api_support import build_api_world

EXAMPLES = int(os.environ.get("CONVENANT_PROOF_EXAMPLES", "20"))
FULL_RUN_MINIMUM = 5_000
SENT: dict[str, int] = {"requests": 0, "operations": 0}
ROLE_ORDER = ("privacyfunctionaris", "coordinator", "wijkagent", "beheerder")


@pytest.fixture(scope="module")
def api_world(tmp_path_factory):  # type: ignore[no-untyped-def]
    world = build_api_world(tmp_path_factory.mktemp("api") / "data")
    yield world
    world.app.state.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(api_world):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", api_world.app)


def _call(case, world) -> None:  # type: ignore[no-untyped-def]
    for role in ROLE_ORDER:
        headers = dict(case.headers or {})
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
        response = case.call(headers=headers)
        SENT["requests"] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
        )
        kind = response.headers.get("content-type", "")
        if response.status_code >= 400 and "json" in kind:
            body = response.json()
            if isinstance(body, dict):
                assert body.get("melding"), f"{case.method} {case.formatted_path}: error without a message"
        if response.status_code != 403:
            return


def test_no_generated_request_causes_a_server_error(api_schema, api_world):  # type: ignore[no-untyped-def]
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        SENT["operations"] += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            print_blob=False,
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            _call(case, api_world)

        try:
            run()
        except Exception as exc:  # a server error raised through the ASGI transport, or a 5xx / bad body
            lines = [line for line in str(exc).splitlines() if line.strip()]
            failures.append(f"{operation.label}: {type(exc).__name__}: {lines[-1] if lines else ''}")
    assert not failures, "\n".join(failures)


def test_zz_enough_requests_were_sent():
    print(f"\nschemathesis: {SENT['requests']} requests ({EXAMPLES} examples per operation)")
    assert SENT["operations"] >= 10
    assert SENT["requests"] >= EXAMPLES * 10
    if EXAMPLES >= 150:
        assert SENT["requests"] >= FULL_RUN_MINIMUM
