"""The conflict policy: which value of a field wins, and what is kept when one loses.

Pure functions on plain data. Each field of a record remembers who set its current value,
with which clock stamp, at which record version (``FieldMeta``). An incoming edit is
*sequential* when its author had already seen the current value (the field last changed at
or before the mutation's ``base_version``): it simply applies. Otherwise the two edits are
*concurrent*: the later stamp wins (ties broken by the node in the stamp), and the other
value is kept as a ``Conflict`` for its author — whether that is the incoming edit (it
lost) or the value it overwrote (that one lost). Nothing is silently lost.

A deleted record stays deleted: an edit to it is kept whole as conflicts of kind
``deleted`` until someone restores the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.clock import Stamp


@dataclass(frozen=True)
class FieldMeta:
    """Who set a field's current value, when (clock) and at which record version."""

    clock: str
    version: int
    user_id: str
    client_id: str

    def to_json(self) -> dict[str, Any]:
        return {"c": self.clock, "v": self.version, "u": self.user_id, "d": self.client_id}

    @classmethod
    def from_json(cls, data: Any) -> FieldMeta | None:
        if not isinstance(data, dict):
            return None
        return cls(
            str(data.get("c", "")),
            int(data.get("v", 0)),
            str(data.get("u", "")),
            str(data.get("d", "")),
        )


@dataclass(frozen=True)
class Edit:
    """An incoming change of some fields, from one author."""

    fields: dict[str, Any]
    stamp: Stamp
    base_version: int | None  # the record version the author last saw (None: never saw it)
    user_id: str
    client_id: str


@dataclass(frozen=True)
class Conflict:
    """A value that lost, kept for its author to see and restore."""

    field: str
    value: Any
    clock: str
    user_id: str
    client_id: str
    winning_value: Any
    kind: str  # "field": a concurrent edit won; "deleted": the record was deleted


@dataclass
class Decision:
    """What to do with the record."""

    apply: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, FieldMeta] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    concurrent: bool = False  # the record had changed since the author saw it


def decide(
    current: dict[str, Any],
    metas: dict[str, FieldMeta | None],
    deleted: bool,
    edit: Edit,
    new_version: int,
) -> Decision:
    """Merge ``edit`` into a record whose fields are ``current``."""
    decision = Decision()
    for name, value in edit.fields.items():
        if deleted:
            decision.conflicts.append(_lost(edit, name, value, current.get(name), "deleted"))
            continue
        meta = metas.get(name)
        mine = FieldMeta(str(edit.stamp), new_version, edit.user_id, edit.client_id)
        if meta is None or _seen(meta, edit):
            decision.apply[name] = value
            decision.meta[name] = mine
            continue
        if meta.client_id == edit.client_id:
            # One device's own edits, arriving out of order: its latest one stands, and an
            # edit it replaced itself is no loss.
            if str(edit.stamp) > meta.clock:
                decision.apply[name] = value
                decision.meta[name] = mine
            continue
        decision.concurrent = True
        if value == current.get(name):
            decision.meta[name] = max(meta, mine, key=lambda m: m.clock)
        elif str(edit.stamp) > meta.clock:
            decision.apply[name] = value
            decision.meta[name] = mine
            decision.conflicts.append(
                Conflict(
                    field=name,
                    value=current.get(name),
                    clock=meta.clock,
                    user_id=meta.user_id,
                    client_id=meta.client_id,
                    winning_value=value,
                    kind="field",
                )
            )
        else:
            decision.conflicts.append(_lost(edit, name, value, current.get(name), "field"))
    return decision


def _seen(meta: FieldMeta, edit: Edit) -> bool:
    """True when the edit's author had seen the field's current value (a sequential edit)."""
    return edit.base_version is not None and meta.version <= edit.base_version


def _lost(edit: Edit, name: str, value: Any, winning: Any, kind: str) -> Conflict:
    return Conflict(
        field=name,
        value=value,
        clock=str(edit.stamp),
        user_id=edit.user_id,
        client_id=edit.client_id,
        winning_value=winning,
        kind=kind,
    )
