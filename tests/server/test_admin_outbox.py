"""Admins see no child's data: the outbox shows delivery state only, and reading it leaves the
parents' links unused. The operator gets the kept links from the server's command line."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from tests.server.reporting import LINK, fill_meeting, invitation_links, phone, publish
from tests.server.world import created

DELIVERY_FIELDS = {"id", "created_at", "status", "attempts", "last_error", "sent_at"}


def test_the_admins_outbox_names_no_child_and_holds_no_link(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    # The agenda letter (a PDF naming the child, and a consent link), then the report.
    sent = familie.post(f"/api/meetings/{demo['meeting']}/agenda/send")
    assert sent.status_code in (200, 201), sent.get_json()
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    admin = as_user("admin")
    resp = admin.get("/api/admin/outbox")
    assert resp.status_code == 200
    messages = resp.get_json()
    assert len(messages) >= 4 and all(set(m) == DELIVERY_FIELDS for m in messages)
    assert {m["status"] for m in messages} == {"kept"}
    text = resp.get_data(as_text=True)
    secrets = [
        link.rsplit("/", 1)[1].split("?")[0]
        for link in invitation_links(app, demo["children"]["Emma"]).values()
    ]
    forbidden = [
        "Emma",
        "/p/",
        "invitation",
        *secrets,
        *(g["email"] for g in guardians if g["email"]),
        *(g["name"] for g in guardians),
    ]
    assert [word for word in forbidden if word in text] == []
    # Reading the outbox used up nothing: each parent's link still opens on their phone.
    for link in invitation_links(app, demo["children"]["Emma"]).values():
        assert phone(app, link).get(f"/p/reports/{demo['meeting']}").status_code == 200


def test_the_api_document_promises_no_content_to_the_admin(client: Any) -> None:
    spec = client.get("/api/openapi.json").get_json()
    answer = spec["paths"]["/api/admin/outbox"]["get"]["responses"]["200"]
    schema = json.dumps(answer)
    name = schema.split("#/components/schemas/")[1].split('"')[0]
    assert set(spec["components"]["schemas"][name]["properties"]) == DELIVERY_FIELDS


def test_the_admin_cannot_invite_or_see_parents_phones(as_user: Any, demo: dict[str, Any]) -> None:
    familie, admin = as_user("familie"), as_user("admin")
    guardian = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()[0]
    assert admin.post(f"/api/guardians/{guardian['id']}/invitations").status_code == 403
    assert admin.get(f"/api/guardians/{guardian['id']}/sessions").status_code == 404


def test_the_operator_prints_the_kept_links_on_the_server(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    output = app.test_cli_runner().invoke(args=["outbox", "print"]).output
    links = LINK.findall(output)
    assert len(links) == 2
    mother = phone(app, "/p/" + links[0].split("/p/", 1)[1])
    assert mother.get(f"/p/reports/{demo['meeting']}").status_code == 200
