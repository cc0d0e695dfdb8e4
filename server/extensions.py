"""Extension singletons, bound to an app in create_app (STYLE.md habit 2)."""

from __future__ import annotations

from typing import Any

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from flask_compress import Compress
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from marshmallow import Schema, fields
from sqlalchemy.orm import DeclarativeBase

from server.records.body_parser import StrictParser


class Base(DeclarativeBase):
    """Declarative base of every server model."""


def schema_name(schema: Any) -> str:
    """OpenAPI component names: "Meeting", and "MeetingUpdate" for the partial PATCH body."""
    cls = resolve_schema_cls(schema)
    cls = cls[0] if isinstance(cls, list) else cls
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Update" if getattr(schema, "partial", False) else name


class ErrorDetail(Schema):
    """What went wrong: a stable code, a message for people, and messages per field."""

    code = fields.String(
        required=True,
        metadata={"description": "Stable, e.g. not_found, invalid, forbidden, or a rule's name."},
    )
    message = fields.String(required=True, metadata={"description": "For people to read."})
    # "fields" on the wire; not as the attribute name, which marshmallow uses for itself.
    field_messages = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        data_key="fields",
        metadata={"description": "Messages per field (dotted paths); may be empty."},
    )


class Error(Schema):
    """Every error answer of the API (server/errors.py)."""

    error = fields.Nested(ErrorDetail, required=True)


# Every smorest route reads its JSON body with the strict parser (server/records/json_input.py).
# Set on the class because @blp.arguments binds the parser when a routes module is imported.
flask_smorest.Blueprint.ARGUMENTS_PARSER = StrictParser()

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def new_api() -> flask_smorest.Api:
    """The API (flask-smorest) of one app. One per app, not one for the process: an ``Api``
    keeps the OpenAPI document of the app it was last initialised with, so with one shared
    object an app served the document of whichever app was built after it (empty when that
    build stopped at a refused setting), which the tests' app pool made visible."""
    made = flask_smorest.Api(
        spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)}
    )
    # The API document describes the error body the server really sends (server/errors.py),
    # not smorest's own (``code, status, message, errors``), which it never sends.
    made.ERROR_SCHEMA = Error
    return made


def api_of(app: Flask) -> flask_smorest.Api:
    """The ``Api`` that ``new_api`` made for ``app``."""
    api: flask_smorest.Api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return api


csrf = CSRFProtect()
compress = Compress()
