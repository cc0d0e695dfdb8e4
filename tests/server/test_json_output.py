"""Large answers are written by orjson; what it refuses is still written, and texts kept as
JSON (a pull's documents) go in as they are beside it."""

from __future__ import annotations

import json

from flask import Flask

from server.records.json_output import json_response, stored


def test_a_value_orjson_refuses_is_written_beside_kept_texts(app: Flask) -> None:
    """An integer beyond 64 bits (a JSON value a record may hold) made the whole page fall
    back to the standard library, which cannot write kept texts: each value falls back."""
    huge = 2**70
    with app.app_context():
        resp = json_response(
            {
                "changes": [
                    stored('{"entity":"board_note","id":"a","fields":{"text":"æ 🎈"}}'),
                    {"entity": "conflict", "id": "b", "fields": {"value": huge}},
                ],
                "more": False,
            }
        )
        body = resp.get_data()
    assert json.loads(body) == {
        "changes": [
            {"entity": "board_note", "id": "a", "fields": {"text": "æ 🎈"}},
            {"entity": "conflict", "id": "b", "fields": {"value": huge}},
        ],
        "more": False,
    }
