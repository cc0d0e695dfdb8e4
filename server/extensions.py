"""Extension singletons, bound to an app in create_app (STYLE.md habit 2)."""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every server model."""


def schema_name(schema: Any) -> str:
    """OpenAPI component names: "Meeting", and "MeetingUpdate" for the partial PATCH body."""
    cls = resolve_schema_cls(schema)
    cls = cls[0] if isinstance(cls, list) else cls
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Update" if getattr(schema, "partial", False) else name


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
csrf = CSRFProtect()
