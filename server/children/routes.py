"""Children and their guardians."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server import access, audit
from server.auth.current import current_user
from server.children.schemas import ChildSchema
from server.extensions import db
from server.kinds import CHILD, GUARDIAN
from server.models import Child
from server.records.routes import register_kind

blp = Blueprint("children", __name__, url_prefix="/api", description="Children and guardians")


@blp.route("/children", endpoint="children_visible")
class Children(MethodView):
    @blp.response(200, ChildSchema(many=True))
    def get(self) -> Any:
        """List the children you may see."""
        user = current_user()
        rows = list(
            db.session.scalars(
                select(Child)
                .where(Child.deleted_at.is_(None), access.clause(Child, user))
                .order_by(Child.first_name, Child.last_name)
            )
        )
        for child in rows:
            audit.record("list", "child", child.id, child.id)
        db.session.commit()
        return rows


register_kind(blp, CHILD, "children", "institutions")
register_kind(blp, GUARDIAN, "guardians", "children")
