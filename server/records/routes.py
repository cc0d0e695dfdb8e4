"""Route factory: the same five endpoints for every record kind, documented by its schema."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from server.auth.current import current_user
from server.records import rest
from server.records.kind import Kind


def register_kind(blp: Blueprint, kind: Kind, plural: str, parent_plural: str) -> None:
    """Mount POST /<plural>, GET /<parent_plural>/<id>/<plural>, GET|PATCH|DELETE /<plural>/<id>."""
    schema = kind.schema
    update_schema = schema(partial=True, exclude=("id", *kind.fixed))
    title = kind.name.replace("_", " ")

    class Collection(MethodView):
        @blp.arguments(schema)
        @blp.response(201, schema)
        def post(self, data: dict[str, Any]) -> Any:
            return rest.create(kind, current_user(), data)

    class ByParent(MethodView):
        @blp.response(200, schema(many=True))
        def get(self, parent_id: str) -> Any:
            return rest.list_for_parent(kind, current_user(), parent_id)

    class Item(MethodView):
        @blp.response(200, schema)
        def get(self, record_id: str) -> Any:
            return rest.read(kind, rest.get_visible(kind, current_user(), record_id))

        @blp.arguments(update_schema)
        @blp.response(200, schema)
        def patch(self, data: dict[str, Any], record_id: str) -> Any:
            return rest.update(kind, current_user(), record_id, data)

        @blp.response(204)
        def delete(self, record_id: str) -> None:
            rest.soft_delete(kind, current_user(), record_id)

    # smorest reads the docstrings (the OpenAPI summaries) when the route is registered.
    Collection.post.__doc__ = f"Create a {title} (the id may be made by the client)."
    ByParent.get.__doc__ = f"List the {title} records of a {parent_plural.rstrip('s')}."
    Item.get.__doc__ = f"Read one {title}."
    Item.patch.__doc__ = f"Change some fields of a {title}."
    Item.delete.__doc__ = f"Delete a {title} (kept for sync; can be restored)."
    blp.route(f"/{plural}", endpoint=f"{kind.name}_collection")(Collection)
    blp.route(f"/{parent_plural}/<parent_id>/{plural}", endpoint=f"{kind.name}_by_parent")(ByParent)
    blp.route(f"/{plural}/<record_id>", endpoint=f"{kind.name}_item")(Item)
