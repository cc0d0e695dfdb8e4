"""Custody sources: the manual one, and the CPR service adapter against a local fake of the
contract of docs/identity.md (pytest-httpserver on 127.0.0.1)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from server.identity.cpr import Cpr
from server.identity.custody import (
    CUSTODY_PATH,
    ChildUnknown,
    CprCustody,
    CustodyError,
    ManualCustody,
    holds_custody,
)

EMMA, NOAH = Cpr("150357-5101"), Cpr("020457-5203")
METTE, LARS, ULLA = Cpr("010155-5001"), Cpr("020255-5002"), Cpr("070755-8007")


def test_manual_custody_answers_from_what_staff_ticked() -> None:
    ticked = {EMMA: [METTE, LARS]}
    source = ManualCustody(lambda child: ticked.get(child, []))
    assert source.holders(EMMA) == {METTE, LARS}
    assert source.holders(NOAH) == frozenset()
    assert holds_custody(source, METTE, EMMA) and not holds_custody(source, ULLA, EMMA)


def _answer(child: Cpr, *holders: dict[str, str]) -> dict[str, object]:
    return {"child_cpr": child.digits, "custody_holders": list(holders)}


def test_the_cpr_service_names_the_current_holders(httpserver: HTTPServer) -> None:
    today = date.today()
    httpserver.expect_request(
        CUSTODY_PATH,
        method="POST",
        json={"child_cpr": EMMA.digits},
        headers={"Authorization": "Bearer t0ken"},
    ).respond_with_json(
        _answer(
            EMMA,
            {"cpr": METTE.digits, "since": "2020-01-01"},
            {"cpr": "020255-5002"},
            # custody that ended yesterday, and one that begins tomorrow: neither holds
            {"cpr": ULLA.digits, "since": "2020-01-01", "until": today.isoformat()},
            {"cpr": "0303556003", "since": (today + timedelta(days=1)).isoformat()},
        )
    )
    source = CprCustody(httpserver.url_for("/"), token="t0ken")
    assert source.holders(EMMA) == {METTE, LARS}
    assert holds_custody(source, LARS, EMMA) and not holds_custody(source, ULLA, EMMA)


def test_the_child_number_travels_only_in_the_body(httpserver: HTTPServer) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps(_answer(EMMA)), content_type="application/json")

    httpserver.expect_request(CUSTODY_PATH).respond_with_handler(handler)
    assert CprCustody(httpserver.url_for("/")).holders(EMMA) == frozenset()
    [request] = seen
    assert request.method == "POST" and EMMA.digits not in request.url
    assert "Authorization" not in request.headers  # no token configured, none sent


def test_an_unknown_child(httpserver: HTTPServer) -> None:
    httpserver.expect_request(CUSTODY_PATH).respond_with_json({"error": "unknown"}, status=404)
    with pytest.raises(ChildUnknown):
        CprCustody(httpserver.url_for("/")).holders(NOAH)


@pytest.mark.parametrize(
    "body",
    [
        {"child_cpr": EMMA.digits},
        {"child_cpr": NOAH.digits, "custody_holders": []},  # an answer for another child
        {"child_cpr": EMMA.digits, "custody_holders": [{"cpr": "3102551234"}]},
        {"child_cpr": EMMA.digits, "custody_holders": [{"cpr": METTE.digits, "since": "soon"}]},
        {"child_cpr": EMMA.digits, "custody_holders": "0101555001"},
        ["not", "an", "object"],
    ],
)
def test_an_answer_outside_the_contract_is_an_error(httpserver: HTTPServer, body: object) -> None:
    httpserver.expect_request(CUSTODY_PATH).respond_with_json(body)
    with pytest.raises(CustodyError) as failed:
        CprCustody(httpserver.url_for("/")).holders(EMMA)
    assert not isinstance(failed.value, ChildUnknown)
    assert EMMA.digits not in str(failed.value)


@pytest.mark.parametrize("status", [401, 500, 503])
def test_a_failing_service_is_an_error(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request(CUSTODY_PATH).respond_with_data("no", status=status)
    with pytest.raises(CustodyError, match=str(status)):
        CprCustody(httpserver.url_for("/")).holders(EMMA)


def test_an_unreachable_service_is_an_error_that_names_no_number() -> None:
    from tests.harness import free_port

    source = CprCustody(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(CustodyError) as failed:
        source.holders(EMMA)
    assert EMMA.digits not in str(failed.value) and failed.value.__cause__ is None
