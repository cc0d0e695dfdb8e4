"""Children and their guardians."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server import access, audit
from server.auth.current import current_user
from server.children.schemas import ChildSchema, CprInSchema, CprOutSchema
from server.extensions import db
from server.identity.cpr_store import set_cpr
from server.kinds import CHILD, GUARDIAN
from server.models import Child, Guardian
from server.records.kind import Kind
from server.records.routes import register_kind
from server.records.write import check_writer

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


# CPR numbers (issue 20): a resource beside the record, not a field of it, so that the
# record's schema (which sync pulls and the tablet keeps) never carries one. Who may read
# the masked form is who may read the child (server/access.py: course roles only, never an
# admin); it shows the birth date the child's record shows anyway. Who may set it is who may
# change the record (the kind's writer roles). The digits are never answered.


def _cpr_answer(row: Child | Guardian) -> dict[str, str | None]:
    return {"cpr_masked": None if row.cpr is None else row.cpr.masked}


def _read_cpr(kind: Kind, record_id: str) -> dict[str, str | None]:
    row = access.get_visible(kind.model, current_user(), record_id)
    audit.record("read", kind.name, row.id, kind.child_id_of(row), "cpr")
    db.session.commit()
    return _cpr_answer(row)


def _write_cpr(kind: Kind, record_id: str, data: dict[str, Any]) -> dict[str, str | None]:
    user = current_user()
    row = access.get_visible(kind.model, user, record_id)
    check_writer(kind, user)
    if row.cpr != data["cpr"]:
        set_cpr(row, data["cpr"])
        audit.record("update", kind.name, row.id, kind.child_id_of(row), "cpr")
    db.session.commit()
    return _cpr_answer(row)


@blp.route("/children/<child_id>/cpr", endpoint="child_cpr")
class ChildCpr(MethodView):
    @blp.response(200, CprOutSchema)
    def get(self, child_id: str) -> Any:
        """The child's CPR number, masked (DDMMYY-XXXX)."""
        return _read_cpr(CHILD, child_id)

    @blp.arguments(CprInSchema)
    @blp.response(200, CprOutSchema)
    def put(self, data: dict[str, Any], child_id: str) -> Any:
        """Record the child's CPR number (null removes it); the answer shows it masked."""
        return _write_cpr(CHILD, child_id, data)


@blp.route("/guardians/<guardian_id>/cpr", endpoint="guardian_cpr")
class GuardianCpr(MethodView):
    @blp.response(200, CprOutSchema)
    def get(self, guardian_id: str) -> Any:
        """The guardian's CPR number, masked (DDMMYY-XXXX)."""
        return _read_cpr(GUARDIAN, guardian_id)

    @blp.arguments(CprInSchema)
    @blp.response(200, CprOutSchema)
    def put(self, data: dict[str, Any], guardian_id: str) -> Any:
        """Record the guardian's CPR number (null removes it); the answer shows it masked."""
        return _write_cpr(GUARDIAN, guardian_id, data)
