"""The body parser of every smorest route: JSON bodies checked as ``json_input`` reads them,
form bodies as ``form_input`` does."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from webargs.core import is_json, missing
from webargs.flaskparser import FlaskParser

from server.records.form_input import form_problems
from server.records.json_input import CHECKED_PER_ITEM, loads, may_hold_bad_text, problems


class StrictParser(FlaskParser):
    """The body parser of every smorest route (``@blp.arguments``)."""

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json(req.mimetype):
            return missing
        return loads(req.get_data(cache=True))

    def load_form(self, req: Any, schema: ma.Schema) -> Any:
        found = form_problems(req.form)
        if found:
            raise ma.ValidationError(found)
        return super().load_form(req, schema)

    def load_json(self, req: Any, schema: ma.Schema) -> Any:
        data = super().load_json(req, schema)
        if data is missing:
            return data
        skip = frozenset(
            name for name, fld in schema.fields.items() if fld.metadata.get(CHECKED_PER_ITEM)
        )
        found = problems(data, skip, texts=may_hold_bad_text(req.get_data(cache=True)))
        if found:
            raise ma.ValidationError(found)
        return data
