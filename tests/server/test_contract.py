"""The tablet's contract (pwa/src/contract/contract.gen.ts) is the server's own rules.

Three things are proved here: the checked-in file is exactly what the server's schemas give
now (so it cannot drift: run `make contract` after changing a schema); every rule in it is
a rule marshmallow really applies, at its boundary (the same samples drive the TypeScript
checker's test, pwa/src/contract/check.test.ts); and a rule the contract could not carry
stops the generator instead of being left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from server import contract, create_app
from server.records.schemas import PAST_YEARS, PastYears, danish_today, years_before
from server.sync.wire import KINDS

# Patterns have no generic example; a new pattern needs one here and in check.test.ts.
PATTERN_EXAMPLES = {"^[0-9a-f]{64}$": "ab" * 32}
ONE_DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(
        {"TRIVSEL_ENV": "testing", "DATABASE_URL": "sqlite://", "SECRET_KEY": "contract-test"}
    )


@pytest.fixture(scope="module")
def table(app: Flask) -> dict[str, Any]:
    return contract.build(app)


def test_the_checked_in_contract_is_what_the_schemas_give(app: Flask) -> None:
    assert contract.matches(app), f"{contract.TARGET} is stale: run `{contract.REGENERATE}`"


def test_a_stale_file_is_noticed_and_rewritten(app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "contract.gen.ts"
    target.write_text(contract.generate(app).replace('"maxLength": 2000', '"maxLength": 20000'))
    assert not contract.matches(app, target)
    assert contract.write(app, target)
    assert contract.matches(app, target)
    assert not contract.write(app, target)


def test_the_note_that_was_lost_at_the_table_is_in_the_contract(table: dict[str, Any]) -> None:
    text = table["board_note"]["fields"]["text"]
    assert (text["maxLength"], text["minLength"], text.get("required")) == (2000, 1, True)
    assert table["board_note"]["fields"]["meeting_id"]["ref"] == "meeting"
    assert table["board_note"]["fixed"] == ["meeting_id"]
    assert table["report"]["writers"] == ["family_unit"]
    assert "course_id" not in table["board_note"]["fields"]  # dump-only: never sent


def schema_of(entity: str) -> type[Schema]:
    return KINDS[entity].schema if entity in KINDS else contract.forms()[entity]


def cases(table: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for entity, spec in sorted(table.items()):
        for name, rule in sorted(spec["fields"].items()):
            yield entity, name, rule


def valid_samples(rule: dict[str, Any]) -> list[Any]:
    """Values the rule allows, at its boundaries."""
    samples: list[Any] = [None] if rule.get("nullable") else []
    if "enum" in rule:
        return samples + list(rule["enum"])
    kind = rule.get("type")
    if kind == "boolean":
        return [*samples, True, False]
    if kind in ("integer", "number"):
        low = rule.get("minimum", 1)
        return (
            [*samples, low, rule.get("maximum", low + 1)]
            if kind == "integer"
            else [*samples, low, low + 0.5]
        )
    if "pattern" in rule:
        return [*samples, PATTERN_EXAMPLES[rule["pattern"]]]
    fmt = rule.get("format")
    if PAST_YEARS in rule:
        today = danish_today()
        return [*samples, today.isoformat(), years_before(today, rule[PAST_YEARS]).isoformat()]
    if fmt == "date":
        return [*samples, "2026-12-01", "2028-02-29"]
    if fmt == "date-time":
        return [*samples, "2026-12-01T09:00:00+00:00", "2026-12-01T09:00:00.000Z"]
    if fmt == "email":
        return [*samples, "navn@kommune.dk", "mor.og.far@børnehave.dk"]
    if fmt == "uuid" or rule.get("minLength") == rule.get("maxLength") == 36:
        return [*samples, str(uuid.uuid4())]
    longest = rule.get("maxLength", 300)
    # Python counts code points: a letter outside ASCII and one outside the BMP count as one.
    return [*samples, "ø" * longest, "😀" * longest, "x" * max(1, rule.get("minLength", 1))]


def invalid_samples(rule: dict[str, Any]) -> list[Any]:
    """Values the rule refuses."""
    samples: list[Any] = [] if rule.get("nullable") else [None]
    if "enum" in rule:
        return [*samples, "not-a-choice"]
    kind = rule.get("type")
    if kind == "boolean":
        return [*samples, "maybe"]
    if kind in ("integer", "number"):
        return samples + ["x"] + ([rule["minimum"] - 1] if "minimum" in rule else [])
    samples.append(42)
    if "pattern" in rule:
        return [*samples, "not matching"]
    fmt = rule.get("format")
    if PAST_YEARS in rule:
        today = danish_today()
        earliest = years_before(today, rule[PAST_YEARS])
        return [*samples, "2026-02-30", str(today + ONE_DAY), str(earliest - ONE_DAY)]
    if fmt == "date":
        return [*samples, "2026-02-30", "1.12.2026"]
    if fmt == "date-time":
        return [*samples, "2026-12-01T25:00:00Z", "i morgen"]
    if fmt == "email":
        return [*samples, "navn@", "navn kommune.dk"]
    if "maxLength" in rule:
        samples.append("ø" * (rule["maxLength"] + 1))
    if rule.get("minLength"):
        samples.append("")
    return samples


def test_every_rule_is_applied_by_the_server_at_its_boundary(table: dict[str, Any]) -> None:
    checked = 0
    for entity, name, rule in cases(table):
        schema = schema_of(entity)(partial=True)
        for value in valid_samples(rule):
            try:
                schema.load({name: value})
            except ValidationError as exc:
                pytest.fail(f"{entity}.{name}={value!r} is in the contract but refused: {exc}")
        for value in invalid_samples(rule):
            with pytest.raises(ValidationError) as refused:
                schema.load({name: value})
            assert name in refused.value.messages_dict, (entity, name, value)
            checked += 1
    assert checked > 100


def test_required_fields_are_exactly_the_servers(table: dict[str, Any]) -> None:
    for entity, spec in table.items():
        with pytest.raises(ValidationError) as refused:
            schema_of(entity)().load({"not_a_field": 1})
        missing = {
            name
            for name, msgs in refused.value.messages_dict.items()
            if "Missing data for required field." in msgs
        }
        assert missing == {n for n, r in spec["fields"].items() if r.get("required")}, entity
        assert "not_a_field" in refused.value.messages_dict  # unknown fields are refused


class _Custom(Schema):
    name = fields.String(validate=lambda v: v != "x")


class _SchemaLevel(Schema):
    name = fields.String()

    @validates_schema
    def _both(self, data: dict[str, Any], **_: Any) -> None:
        """A cross-field rule."""


class _FieldMethod(Schema):
    name = fields.String()

    @validates("name")
    def _name(self, value: str, **_: Any) -> None:
        """A rule in a method."""


class _Exclusive(Schema):
    size = fields.Integer(validate=validate.Range(min=0, min_inclusive=False))


class _Naive(Schema):
    at = fields.NaiveDateTime()


class _PastUnsaid(Schema):
    # The relative rule without the OpenAPI key that carries it to the tablet.
    born = fields.Date(validate=PastYears(25))


@pytest.mark.parametrize(
    "schema", [_Custom, _SchemaLevel, _FieldMethod, _Exclusive, _Naive, _PastUnsaid]
)
def test_a_rule_the_contract_cannot_carry_stops_the_generator(schema: type[Schema]) -> None:
    with pytest.raises(contract.UnexpressedRule):
        contract.audit_schema(schema)


def test_the_command_checks_and_writes(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["contract", "--check"])
    assert result.exit_code == 0, result.output
    assert "matches" in result.output


def test_a_computed_field_the_tablet_cannot_type_stops_the_generator() -> None:
    class Odd(Schema):
        plain = fields.Method("_plain", dump_only=True)
        listed = fields.Method("_listed", dump_only=True)

        def _plain(self, obj: Any) -> bool:
            return True

        def _listed(self, obj: Any) -> list[str]:
            return []

    typed = contract._record({"properties": {"plain": {"readOnly": True}}}, Odd)
    assert typed == {"plain": {"type": "boolean", "always": False}}
    with pytest.raises(contract.UnexpressedRule, match="_listed"):
        contract._record({"properties": {"listed": {"readOnly": True}}}, Odd)
