"""Writing large JSON answers fast: a pull page holds up to a thousand records.

``orjson`` writes such a page several times faster than the standard library, which Flask's
``jsonify`` uses. The text differs only where JSON allows it: no spaces between items, and
non-ASCII characters as UTF-8 instead of ``\\u`` escapes. A value may be JSON text already
(``stored``: a record's wire JSON kept by the database), which goes in as it is. What orjson
refuses (an integer beyond 64 bits in a record's JSON value) is written by the standard
library instead (Flask's JSON provider, as ``jsonify`` did), value by value.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app


def stored(text: str) -> Any:
    """JSON text to be put into an answer as it is."""
    return orjson.Fragment(text)


def json_response(payload: Any) -> Response:
    """``payload`` as a JSON answer (status 200)."""
    try:
        body = orjson.dumps(payload)
    except orjson.JSONEncodeError:
        body = orjson.dumps(_by_stdlib(payload))
    response: Response = current_app.response_class(body, mimetype="application/json")
    return response


def _by_stdlib(value: Any) -> Any:
    """``value`` with every value orjson cannot write (and that is not a container or a
    ``stored`` text) written by the standard library."""
    if isinstance(value, dict):
        return {key: _by_stdlib(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_by_stdlib(item) for item in value]
    if isinstance(value, orjson.Fragment):
        return value
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return orjson.Fragment(current_app.json.dumps(value))
    return value
