"""Schemathesis over the API document, with the ids of real records and the findings collected.

Random strings in paths and bodies only ever reach the 404 at the door, so the fuzzer puts
the ids of real records (tests/attack/seed.py) into most path parameters and reference fields;
the push endpoint gets mutations of every entity built from the document's own create
schemas. Every answer is checked against the document (status, content type, body schema,
headers), for 5xx, for data the document calls invalid but the server accepts, and for the
one error shape; distinct failures are collected rather than stopping at the first, so one
run lists everything it found.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server import create_app
from tests.attack.served import error_shape_problems
from tests.budget import budget
from tests.identity.patterns import cpr_numbers_in

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]

# A path parameter takes its ids from the noun before it ("/courses/{course_id}/members").
NOUNS = {
    "children": "child",
    "guardians": "guardian",
    "courses": "course",
    "consents": "consent",
    "tasks": "task",
    "meetings": "meeting",
    "participants": "participant",
    "notes": "board_note",
    "photos": "board_photo",
    "agreements": "agreement",
    "minutes": "minutes",
    "reports": "report",
    "report-readings": "report_reading",
    "filings": "filing",
    "scaling-answers": "scaling_answer",
    "parent-comments": "parent_comment",
    "houses": "houses",
    "institutions": "institution",
    "users": "user",
    "members": "user",
    "attachments": "attachment",
    "guardian-sessions": "guardian_session",
    "blobs": "blob",
}
# A body field that names another record takes its ids from that record's kind.
REFS = {
    "child_id": "child",
    "course_id": "course",
    "meeting_id": "meeting",
    "guardian_id": "guardian",
    "institution_id": "institution",
    "leader_id": "user",
    "user_id": "user",
    "assignee_id": "user",
    "report_id": "report",
    "content_hash": "blob",
}
# Entity → the REST operation whose request body is that entity's create schema.
CREATE_PATHS = {
    "child": "/api/children",
    "guardian": "/api/guardians",
    "course": "/api/courses",
    "consent": "/api/consents",
    "task": "/api/tasks",
    "meeting": "/api/meetings",
    "participant": "/api/participants",
    "board_note": "/api/notes",
    "board_photo": "/api/photos",
    "agreement": "/api/agreements",
    "minutes": "/api/minutes",
    "report": "/api/reports",
    "report_reading": "/api/report-readings",
    "filing": "/api/filings",
    "houses": "/api/houses",
}
PUSH = "POST /api/sync/push"
HASHING = {"POST /api/auth/login", "POST /api/auth/password-link", "POST /api/auth/password"}
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b.*")


@dataclass(frozen=True)
class Budget:
    """How much to try: a bounded, derandomized run in `make test`, a random one in `make fuzz`."""

    examples: int  # per operation and signed-in user
    roles: tuple[str, ...]
    seed: int | None  # None: Hypothesis derandomizes (the same cases every run)
    slow_examples: int = 1_000_000  # the cap for operations in HASHING

    @classmethod
    def from_env(cls) -> Budget:
        if os.environ.get("TRIVSEL_FUZZ"):
            chosen = os.environ.get("FUZZ_SEED")
            return cls(
                examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
                roles=("familie", "admin", "paedagog", "ppr", "paedagog2"),
                seed=int(chosen) if chosen else random.randrange(2**32),
            )
        # make check (TRIVSEL_QUICK): every operation and role, a few cases each.
        return cls(
            examples=budget(30, quick=5, env="FUZZ_EXAMPLES"),
            roles=("familie", "admin"),
            seed=None,
            slow_examples=8,
        )

    def for_operation(self, label: str) -> int:
        """Fewer cases where every request hashes a password on purpose (argon2, ~0.15 s)."""
        return min(self.examples, self.slow_examples) if label in HASHING else self.examples


@cache
def api_document() -> dict[str, Any]:
    """The document the server serves at /api/openapi.json (the code the fuzzer attacks)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TRIVSEL_ENV": "testing",
                "SECRET_KEY": "doc",
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'doc.sqlite3'}",
                "BLOB_DIR": tmp,
            }
        )
        doc: dict[str, Any] = app.test_client().get("/api/openapi.json").get_json()
        return doc


@cache
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(api_document())


def operation_labels() -> list[str]:
    """ "METHOD /path" of every operation in the document, in the document's order."""
    return [op.ok().label for op in api_schema().get_all_operations()]


def operation(label: str) -> Any:
    return api_schema()[label.split(" ", 1)[1]][label.split(" ", 1)[0]]


@dataclass
class Finding:
    """One distinct failure: what was wrong, and one request that shows it."""

    label: str
    role: str
    kind: str
    detail: str
    status: int
    repro: str

    def key(self) -> tuple[str, str, str]:
        # The same failure with different generated values is one finding.
        return (self.label, self.kind, _normalise(self.detail))


@dataclass
class Findings:
    by_key: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        self.by_key.setdefault(finding.key(), finding)

    def save(self, label: str) -> None:
        """Append the findings as JSON lines to $FUZZ_REPORT, when set (for a findings list)."""
        target = os.environ.get("FUZZ_REPORT")
        if not target:
            return
        with open(target, "a", encoding="utf-8") as out:
            for f in self.by_key.values():
                out.write(
                    json.dumps(
                        {
                            "label": label,
                            "role": f.role,
                            "kind": f.kind,
                            "detail": f.detail,
                            "status": f.status,
                            "repro": f.repro,
                        }
                    )
                    + "\n"
                )

    def report(self) -> str:
        lines = [
            f"{len(self.by_key)} distinct failure(s) in {self.requests} requests "
            f"(statuses {dict(sorted(self.statuses.items()))}):"
        ]
        for f in self.by_key.values():
            lines.append(
                f"- [{f.kind}] as {f.role}: {f.detail}\n    status {f.status}; reproduce: {f.repro}"
            )
        return "\n".join(lines)


def _documented_page(label: str, status: int) -> bool:
    """Whether the document gives this answer as a page (text/html): a navigation's refusal
    (the staff sign-in's callback), which a browser shows, not the API's error shape."""
    method, path = label.split(" ", 1)
    operation = api_document()["paths"].get(path, {}).get(method.lower(), {})
    answer = operation.get("responses", {}).get(str(status), {})
    return "text/html" in answer.get("content", {})


def _normalise(text: str) -> str:
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "<v>", text.splitlines()[0] if text else "")
    return re.sub(r"\d+", "N", text)[:160]


class Fuzzer:
    """Runs the generated cases of one operation as one signed-in user."""

    def __init__(
        self, base: str, pools: dict[str, list[str]], findings: Findings, log: Path | None = None
    ) -> None:
        self.base = base
        self.pools = pools
        self.findings = findings
        self.log = log  # the server's output, where a 500's traceback names its cause
        self._serial = 0

    def _log_size(self) -> int:
        return self.log.stat().st_size if self.log and self.log.exists() else 0

    def _log_since(self, since: int) -> bytes:
        if not self.log or not self.log.exists():
            return b""
        with open(self.log, "rb") as out:
            out.seek(since)
            return out.read()

    def _cause(self, since: int) -> str:
        """The exception the server logged since ``since`` (its class and message), if any."""
        if not self.log:
            return ""
        with open(self.log, "rb") as out:
            out.seek(since)
            lines = out.read().decode("utf-8", "replace").splitlines()
        causes = [line for line in lines if EXCEPTION_LINE.match(line)]
        return causes[-1][:200] if causes else ""

    def run(self, label: str, role: str, http: requests.Session, budget: Budget) -> None:
        @settings(
            max_examples=budget.for_operation(label),
            derandomize=budget.seed is None,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(data=st.data())
        def one_case(data: st.DataObject) -> None:
            mode = data.draw(
                st.sampled_from(
                    [GenerationMode.POSITIVE, GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
                ),
                label="mode",
            )
            case = data.draw(_strategy(label, mode), label="case")
            # Real ids only in valid cases: swapping a generated (invalid) value for a real
            # one would make the case valid while Schemathesis still expects a rejection.
            if mode == GenerationMode.POSITIVE:
                self._realise(case, data, label)
            self._exchange(case, label, role, http)

        if budget.seed is not None:
            one_case = hypothesis_seed(budget.seed)(one_case)
        one_case()

    def _realise(self, case: Any, data: st.DataObject, label: str) -> None:
        """Real ids where random ones would stop at the door (most of the time, not always)."""
        segments = label.split(" ", 1)[1].split("/")
        for name in list(case.path_parameters or {}):
            before = segments[segments.index("{" + name + "}") - 1]
            pool = self.pools.get(NOUNS.get(before, ""), [])
            if pool and data.draw(st.integers(0, 9), label="real id") < 8:
                case.path_parameters[name] = data.draw(st.sampled_from(pool), label=name)
        if isinstance(case.body, dict):
            self._realise_refs(case.body, data.draw)
        if label == PUSH and data.draw(st.integers(0, 9), label="own mutations") < 8:
            case.body = {
                "client_id": str(uuid.uuid4()),
                "mutations": data.draw(
                    st.lists(self._mutation(), min_size=1, max_size=4), label="mutations"
                ),
            }
        if (
            label == "POST /api/blobs/missing"
            and isinstance(case.body, dict)
            and isinstance(case.body.get("hashes"), list)
            and data.draw(st.booleans(), label="known")
        ):
            case.body["hashes"] = [*self.pools.get("blob", []), *case.body["hashes"]][:1000]
        if (
            label == "GET /api/sync/pull"
            and isinstance(case.query, dict)
            and data.draw(st.booleans(), label="fresh cursor")
        ):
            case.query["cursor"] = ""

    def _realise_refs(self, body: dict[str, Any], draw: Any) -> None:
        for key, value in list(body.items()):
            pool = self.pools.get(REFS.get(key, ""), [])
            if pool and isinstance(value, str) and draw(st.integers(0, 9)) < 7:
                body[key] = draw(st.sampled_from(pool))

    def _mutation(self) -> st.SearchStrategy[dict[str, Any]]:
        """One push mutation of a real entity, its fields from the document's create schema."""

        @st.composite
        def build(draw: Any) -> dict[str, Any]:
            entity = draw(st.sampled_from([*CREATE_PATHS, "conflict", "nonsense"]))
            existing = self.pools.get(entity, [])
            if existing and draw(st.booleans()):
                record_id = draw(st.sampled_from(existing))
            else:
                record_id = str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1))))
            if entity in CREATE_PATHS:
                mode = draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
                body = draw(_strategy(f"POST {CREATE_PATHS[entity]}", mode)).body
                # A negative body may not be an object (or not JSON at all): the push's
                # envelope is JSON, so such a body becomes one odd field.
                fields = dict(body) if isinstance(body, dict) else {"_": repr(body)[:50]}
                fields.pop("id", None)
                self._realise_refs(fields, draw)
                if existing and record_id in existing:  # an edit: some of the fields
                    keep = draw(st.lists(st.sampled_from(sorted(fields) or ["_"]), unique=True))
                    fields = {k: v for k, v in fields.items() if k in keep}
            elif entity == "conflict":
                fields = draw(
                    st.sampled_from([{}, {"resolved": True}, {"resolved": False}, {"value": "x"}])
                )
            else:
                fields = {"text": draw(st.text(max_size=20))}
            # Fresh ids (a run repeats itself: they count up), now and then one used before.
            self._serial += 1
            mutation_id = uuid.uuid5(uuid.NAMESPACE_URL, f"fuzz-{self._serial}")
            if self._serial > 1 and draw(st.integers(0, 9)) == 0:
                mutation_id = uuid.uuid5(uuid.NAMESPACE_URL, f"fuzz-{self._serial - 1}")
            return {
                "id": str(mutation_id),
                "entity": entity,
                "record_id": record_id,
                "op": draw(st.sampled_from(["upsert", "upsert", "upsert", "delete", "restore"])),
                "fields": fields,
                "base_version": draw(st.one_of(st.none(), st.integers(0, 5))),
                "clock": draw(
                    st.sampled_from(
                        ["1795000000000:00000:fuzz", "9999999999999:99999:fuzz", "not-a-clock"]
                    )
                ),
            }

        return build()

    def _exchange(self, case: Any, label: str, role: str, http: requests.Session) -> None:
        logged = self._log_size()
        try:
            # The app's own answer, not where it redirects to (the staff sign-in's redirect
            # leads to the identity provider's page).
            response = case.call(
                base_url=self.base, session=http, timeout=60, allow_redirects=False
            )
        except requests.RequestException as exc:
            self._found(case, label, role, "connection", f"no answer: {exc}", 0, None)
            return
        self.findings.requests += 1
        self.findings.statuses[response.status_code] = (
            self.findings.statuses.get(response.status_code, 0) + 1
        )
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                detail = "\n".join((failure.message or failure.title).strip().splitlines()[:2])
                if response.status_code >= 500:
                    detail = f"{detail}: {self._cause(logged) or 'no traceback logged'}"
                self._found(
                    case, label, role, failure.title, detail, response.status_code, response
                )
        content_type = (response.headers.get("content-type") or [""])[0]
        if response.status_code >= 400 and not _documented_page(label, response.status_code):
            try:
                body = json.loads(response.content or b"null")
            except ValueError:
                body = None
            for problem in error_shape_problems(response.status_code, content_type, body):
                self._found(
                    case, label, role, "error shape", problem, response.status_code, response
                )
        if label == PUSH and response.status_code == 200:
            self._check_push(case, label, role, response, logged)
        self._check_cpr(case, label, role, response, logged)

    def _check_cpr(self, case: Any, label: str, role: str, response: Any, logged: int) -> None:
        """No CPR number the seed set in the answer or the server's log (issue 20)."""
        numbers = self.pools.get("cpr", [])
        where = [
            name
            for name, text in (("answer", response.content), ("log", self._log_since(logged)))
            if cpr_numbers_in(text, numbers)
        ]
        for name in where:
            self._found(
                case,
                label,
                role,
                "cpr leak",
                f"a CPR number in the {name}",
                response.status_code,
                response,
            )

    def _check_push(self, case: Any, label: str, role: str, response: Any, logged: int) -> None:
        results = json.loads(response.content)["results"]
        sent = case.body.get("mutations") if isinstance(case.body, dict) else None
        if isinstance(sent, list) and len(results) != len(sent):
            self._found(
                case,
                label,
                role,
                "push",
                f"{len(sent)} mutations, {len(results)} results",
                200,
                response,
            )
        for mutation, result in zip(sent or [], results, strict=False):
            err = result.get("error") or {}
            if err.get("code") == "server_error":
                entity = mutation.get("entity") if isinstance(mutation, dict) else "?"
                self._found(
                    case,
                    label,
                    role,
                    "push server_error",
                    f"a {entity} mutation answered server_error: "
                    f"{self._cause(logged) or 'no traceback logged'}",
                    200,
                    response,
                )
            elif result.get("status") == "rejected":
                for problem in error_shape_problems(200, "application/json", {"error": err}):
                    self._found(case, label, role, "push error shape", problem, 200, response)

    def _found(
        self, case: Any, label: str, role: str, kind: str, detail: str, status: int, response: Any
    ) -> None:
        try:
            repro = case.as_curl_command(base_url=self.base)
        except Exception:  # a repro that cannot be printed is still a finding
            repro = f"{label} path={case.path_parameters} query={case.query} body={case.body!r}"
        self.findings.add(Finding(label, role, kind, detail.strip(), status, repro[:1500]))


@cache
def _strategy(label: str, mode: GenerationMode) -> st.SearchStrategy[Any]:
    op = operation(label)
    strategy: st.SearchStrategy[Any]
    try:
        strategy = op.as_strategy(generation_mode=mode)
    except Exception:  # nothing to make invalid in this operation
        strategy = op.as_strategy(generation_mode=GenerationMode.POSITIVE)
    return strategy
