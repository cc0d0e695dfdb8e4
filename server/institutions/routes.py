"""Institutions: managed by admins, listed for everyone signed in (forms need them)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.current import current_user, require_roles
from server.errors import ApiError
from server.extensions import db
from server.institutions.schemas import InstitutionSchema
from server.models import Child, Institution, User

blp = Blueprint(
    "institutions", __name__, url_prefix="/api/institutions", description="Daycares and schools"
)


def _get(institution_id: str) -> Institution:
    inst = db.session.get(Institution, institution_id)
    if inst is None:
        raise ApiError(404, "Not found.", "not_found")
    return inst


def _check_external_id(data: dict[str, Any], inst: Institution | None = None) -> None:
    """Two institutions with one external id would make the municipality's login place
    staff by chance: refused with its own field error."""
    value = data.get("external_id")
    if value is None:
        return
    clash = db.session.scalar(select(Institution.id).where(Institution.external_id == value))
    if clash is not None and (inst is None or clash != inst.id):
        raise ApiError(
            409,
            "Another institution has this external id.",
            "external_id_taken",
            {"external_id": ["Another institution has this id."]},
        )


def _commit_unique_name() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise ApiError(
            409,
            "An institution with this name exists already.",
            "name_taken",
            {"name": ["This name is taken."]},
        ) from exc


@blp.route("")
class Institutions(MethodView):
    @blp.response(200, InstitutionSchema(many=True))
    def get(self) -> Any:
        """List institutions."""
        current_user()
        return list(db.session.scalars(select(Institution).order_by(Institution.name)))

    @require_roles("admin")
    @blp.arguments(InstitutionSchema)
    @blp.response(201, InstitutionSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an institution (admin)."""
        _check_external_id(data)
        inst = Institution(**data)
        db.session.add(inst)
        _commit_unique_name()
        return inst


@blp.route("/<institution_id>")
class InstitutionById(MethodView):
    @blp.response(200, InstitutionSchema)
    def get(self, institution_id: str) -> Any:
        """Read an institution."""
        current_user()
        return _get(institution_id)

    @require_roles("admin")
    @blp.arguments(InstitutionSchema(partial=True))
    @blp.response(200, InstitutionSchema)
    def patch(self, data: dict[str, Any], institution_id: str) -> Any:
        """Change an institution (admin). Its ``external_id`` places the staff who sign in
        through the municipality's login (STAFF_INSTITUTION_CLAIM)."""
        inst = _get(institution_id)
        _check_external_id(data, inst)
        for name, value in data.items():
            setattr(inst, name, value)
        _commit_unique_name()
        return inst

    @require_roles("admin")
    @blp.response(204)
    def delete(self, institution_id: str) -> None:
        """Delete an institution that has no staff and no children (admin)."""
        inst = _get(institution_id)
        in_use = db.session.scalar(
            select(User.id).where(User.institution_id == inst.id)
        ) or db.session.scalar(select(Child.id).where(Child.institution_id == inst.id))
        if in_use:
            raise ApiError(409, "The institution still has staff or children.", "in_use")
        db.session.delete(inst)
        db.session.commit()
