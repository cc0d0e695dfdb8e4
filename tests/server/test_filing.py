"""Filing a case system can take (issue 22): the metadata that places the document (the
child's CPR number, the course's reference, KLE number and facet, date, title), the folder
and SF2900 exporters — SF2900 against a local fake of the Fordelingskomponent over real HTTP
(tests/server/sf2900_fake.py) — "filed" only once acknowledged, sent again until it is and
never made twice, and retention keeping a course whose filing is not acknowledged."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import paramiko
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask
from lxml import etree
from sqlalchemy import select, update

from server.config import Config, ConfigError
from server.extensions import db
from server.filing.exporters import NotFiled
from server.filing.registry import EXPORTERS
from server.filing.settings import EXPORTER_NAMES
from server.filing.sf2900 import business_receipt
from server.filing.sftp import SftpTarget, upload
from server.models import Child, Course, Filing
from server.models._common import utcnow
from server.photos.store import object_store
from server.text.da import LOCAL
from tests.harness import ApiClient
from tests.server.courses import T0, closed_course, finish, iso, meeting, open_kinds
from tests.server.reporting import fill_meeting, publish
from tests.server.sf2900_fake import FakeFordelingskomponent, fordelingskomponent
from tests.server.sftp_fake import FakeSftp, sftp_server
from tests.server.stores import stored_keys
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo

CVR = "29189846"
KLE, FACET = "27.24.00", "G01"


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[FakeSftp]:
    with sftp_server(tmp_path) as running:
        yield running


@pytest.fixture
def fake(sftp: FakeSftp) -> Iterator[FakeFordelingskomponent]:
    with fordelingskomponent(CVR) as running:
        running.inbox = sftp.inbox  # the call is refused if its file is not there yet
        yield running


def sf2900(fake: FakeFordelingskomponent, sftp: FakeSftp) -> dict[str, Any]:
    return {
        "FILING_EXPORTER": "sf2900",
        "FILING_SF2900_URL": fake.url,
        "FILING_SF2900_CVR": CVR,
        "FILING_RETRY_SECONDS": "0",
        **sftp.settings(),
    }


def child_cpr(app: Flask, child_id: str) -> str:
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child is not None and child.cpr is not None
        digits = child.cpr.digits
        db.session.remove()
    return digits


def file_report(familie: ApiClient, meeting_id: str) -> dict[str, Any]:
    fill_meeting(familie, meeting_id)
    created(publish(familie, meeting_id))
    filing: dict[str, Any] = created(familie.post("/api/filings", {"meeting_id": meeting_id}))
    return filing


def filing_row(app: Flask, filing_id: str) -> Filing:
    with app.app_context():
        row = db.session.get(Filing, filing_id)
        assert row is not None
        db.session.expunge(row)
        db.session.remove()
    return row


def send_again(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["filing", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_folder_filing_carries_what_places_it_and_is_acknowledged_when_written(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    filing = file_report(familie, demo["meeting"])
    assert filing["state"] == "acknowledged" and filing["acknowledged_at"]
    cpr = child_cpr(app, demo["children"]["Emma"])
    # The CPR number goes to the case system only: not in the API's answer.
    assert cpr not in json.dumps(filing)
    [key] = [k for k in stored_keys(app) if k.startswith("filing/")]
    with app.app_context(), zipfile.ZipFile(io.BytesIO(object_store().get(key))) as zf:
        metadata = json.loads(zf.read("metadata.json"))
        xml = etree.fromstring(zf.read("metadata.xml"))
        pdf = zf.read("report.pdf")
    case = metadata["case"]
    assert case["cpr"] == cpr
    assert case["course_reference"] == f"TRIVSEL-{demo['course']}"
    assert (case["kle"], case["facet"]) == (KLE, FACET)
    # The meeting's day in Denmark (a meeting at 23.30 UTC is held the next day there).
    starts = datetime.fromisoformat(metadata["meeting"]["starts_at"])
    assert case["document_date"] == starts.astimezone(LOCAL).date().isoformat()
    assert case["title"].startswith("Rapport fra trivselsmøde") and "Emma" not in case["title"]
    assert metadata["document"]["file"] == "report.pdf" and pdf.startswith(b"%PDF")
    assert xml.findtext("case/cpr") == cpr and xml.findtext("case/kle") == KLE


def test_sf2900_routes_the_document_by_kle_to_the_case_system_and_its_receipt_files_it(
    fake: FakeFordelingskomponent, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    filing = file_report(familie, demo["meeting"])
    assert fake.invalid == []  # every request followed the published schema
    [document] = fake.documents.values()
    assert document.transaction_id == filing["id"]
    context = "fd:DistributionContext/"
    assert document.text(context + "fd:AfsendendeMyndighed") == CVR
    routing = context + "fd:RoutingValg/fd:RoutingKLEEmneHandling/"
    assert document.text(routing + "fd:RoutingKLEEmne") == KLE
    assert document.text(routing + "fd:RoutingHandlingFacet") == FACET
    dokument = "fd:DistributionObject/fd:ObjektIndhold/fd:DistributionDokument/"
    cpr = child_cpr(app, demo["children"]["Emma"])
    party = dokument + "fd:Registrering/fd:RelationListe/fd:DokumentPartListe/fd:DokumentPart/"
    assert document.text(party + "fd:Part/fd:ReferenceID/fd:URN") == f"urn:oio:cpr-nr:{cpr}"
    attributes = dokument + "fd:Registrering/fd:AttributListe/fd:Attributter/"
    assert document.text(attributes + "fd:BrugervendtNoegleTekst") == f"TRIVSEL-{demo['course']}"
    assert document.text(attributes + "fd:Dokumenttype") == "Rapport"
    parts = document.texts(
        dokument + "fd:Registrering/fd:RelationListe/fd:VariantListe/fd:Variant/"
        "fd:DelAttributter/fd:MimeType"
    )
    assert parts[0] == "application/pdf"  # the report is the main document
    assert filing["state"] == "acknowledged" and filing["acknowledged_at"]
    assert cpr not in json.dumps(filing)


def test_an_error_answer_is_not_filed_and_is_sent_again_until_acknowledged_once(
    fake: FakeFordelingskomponent, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    fake.fail_next(503, "AFVIST")
    filing = file_report(familie, demo["meeting"])
    assert filing["state"] == "failed" and filing["acknowledged_at"] is None
    assert "HTTP 503" in filing_row(app, filing["id"]).last_error
    assert "failed 1" in send_again(app)  # the business refusal
    row = filing_row(app, filing["id"])
    assert (row.state, row.acknowledged_at, row.attempts) == ("failed", None, 2)
    assert "AFVIST" in row.last_error
    assert fake.documents == {}  # nothing was taken
    assert "Acknowledged 1" in send_again(app)
    row = filing_row(app, filing["id"])
    assert row.state == "acknowledged" and row.acknowledged_at is not None
    assert len(fake.documents) == 1
    assert "Acknowledged 0, waiting for a receipt 0, failed 0." in send_again(app)
    assert fake.calls == 3  # an acknowledged filing is not sent again


def test_a_filing_waiting_for_its_receipt_is_one_document_however_often_it_is_sent(
    fake: FakeFordelingskomponent, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    fake.answer = "MODTAGET"  # the Fordelingskomponent has it; the case system not yet
    filing = file_report(familie, demo["meeting"])
    assert filing["state"] == "sent" and filing["acknowledged_at"] is None
    for _ in range(2):
        assert "waiting for a receipt 1" in send_again(app)
    fake.receipt(filing["id"], "ACCEPTERET")
    assert "Acknowledged 1" in send_again(app)
    [document] = fake.documents.values()
    assert document.sends == 4  # the same transaction, never a second document
    now = familie.get(f"/api/filings/{filing['id']}").get_json()
    assert now["state"] == "acknowledged" and now["acknowledged_at"]


def test_the_tablet_learns_by_sync_when_its_filing_is_acknowledged(
    fake: FakeFordelingskomponent, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    fake.answer = "MODTAGET"
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    tablet = Device(familie)
    filing_id = str(uuid.uuid4())
    tablet.upsert("filing", filing_id, meeting_id=demo["meeting"])  # as the tablet files
    assert [r["status"] for r in tablet.push()] == ["applied"]
    waiting = tablet.pull_record("filing", filing_id)["fields"]
    assert waiting["state"] == "sent" and waiting["acknowledged_at"] is None
    fake.receipt(filing_id, "AFLEVERET")
    send_again(app)
    filed = tablet.pull_record("filing", filing_id)["fields"]
    assert filed["state"] == "acknowledged" and filed["acknowledged_at"]


def test_an_answer_the_schema_refuses_is_a_transport_fault_and_not_filed(
    fake: FakeFordelingskomponent, demo_sf2900: Any
) -> None:
    """The fake holds Trivsel's requests to the published schema: a request with a KLE
    number of the wrong form is refused as the real service would, and read as such."""
    _app, demo, familie = demo_sf2900
    filing = file_report(familie, demo["meeting"])
    [document] = fake.documents.values()
    bad = document.raw.replace(b">27.24.00<", b">27.24<")
    assert bad != document.raw
    answer = requests.post(fake.url, data=bad, headers=document.headers, timeout=10)
    with pytest.raises(NotFiled, match="transport FEJL"):
        business_receipt(answer)
    assert fake.invalid and "RoutingKLEEmne" in fake.invalid[0]
    assert fake.documents[filing["id"]].sends == 1


def test_retention_keeps_a_course_whose_filing_is_not_acknowledged_and_says_why(
    fake: FakeFordelingskomponent, demo_sf2900: Any, as_user: Any
) -> None:
    app, demo, familie = demo_sf2900
    fake.fail_next(503)
    course, _ = closed_course(
        as_user("paedagog"),
        familie,
        demo["users"]["familie"],
        demo["children"]["Noah"],
        [photo(seed=3, with_gps=False)],
    )
    with app.app_context():
        [filing_id] = db.session.scalars(select(Filing.id).where(Filing.course_id == course))
        db.session.execute(
            update(Course)
            .where(Course.id == course)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()
    dry = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert f"would delete course {course}" not in dry.output
    kept = (
        f"kept course {course}: its filing {filing_id} is not acknowledged by the case "
        "system (failed: sf2900: HTTP 503)"
    )
    assert kept in dry.output, dry.output
    result = app.test_cli_runner().invoke(args=["retention"])
    assert kept in result.output and "Deleted 0 course(s)" in result.output, result.output
    with app.app_context():
        assert db.session.get(Course, course) is not None
    assert "Acknowledged 1" in send_again(app)
    result = app.test_cli_runner().invoke(args=["retention"])
    assert f"deleted course {course}" in result.output and "kept" not in result.output
    with app.app_context():
        assert db.session.get(Course, course) is None


@pytest.fixture
def demo_sf2900(
    app_config: dict[str, Any],
    fake: FakeFordelingskomponent,
    as_user: Any,
    app: Flask,
    demo: dict[str, Any],
) -> tuple[Flask, dict[str, Any], ApiClient]:
    return app, demo, as_user("familie")


@pytest.fixture
def app_config(app_config: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    if "demo_sf2900" in request.fixturenames:
        fake: FakeFordelingskomponent = request.getfixturevalue("fake")
        return {**app_config, **sf2900(fake, request.getfixturevalue("sftp"))}
    return app_config


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        ({"FILING_EXPORTER": "dropbox"}, "FILING_EXPORTER='dropbox'"),
        ({"FILING_KLE": "27.24"}, "FILING_KLE"),
        ({"FILING_FACET": "g1"}, "FILING_FACET"),
        ({"FILING_EXPORTER": "sf2900"}, "needs FILING_SF2900_CVR"),
    ],
)
def test_filing_settings_are_checked_at_start(settings: dict[str, str], refused: str) -> None:
    with pytest.raises(ConfigError, match=refused):
        Config(overrides={"TRIVSEL_ENV": "testing", **settings}).as_flask_config()


def test_every_exporter_the_setting_may_name_is_registered() -> None:
    assert sorted(EXPORTERS) == sorted(EXPORTER_NAMES)


def test_the_report_task_stays_open_until_the_case_system_acknowledges_the_filing(
    fake: FakeFordelingskomponent, demo_sf2900: Any, course: str
) -> None:
    """Sent is not filed: "Udgiv rapporten og journalisér den" closes on the receipt."""
    app, _demo, familie = demo_sf2900
    fake.answer = "MODTAGET"
    start = created(meeting(familie, course, "start", T0))["id"]
    assert finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30))).status_code == 200
    created(publish(familie, start))
    filing = created(familie.post("/api/filings", {"meeting_id": start}))
    assert filing["state"] == "sent"
    assert "send_report" in open_kinds(familie, course)
    fake.receipt(filing["id"], "ACCEPTERET")
    assert "Acknowledged 1" in send_again(app)
    assert "send_report" not in open_kinds(familie, course)


# SF2900's file transfer: the zip on Serviceplatformen's SFTP service (here the local fake
# over real SSH, tests/server/sftp_fake.py) before the call that names it.


def test_the_file_is_on_the_sftp_server_whole_under_its_name_before_the_call(
    fake: FakeFordelingskomponent, sftp: FakeSftp, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    filing = file_report(familie, demo["meeting"])
    assert filing["state"] == "acknowledged"
    [document] = fake.documents.values()
    name = document.text("fd:DistributionContext/fd:DokumentFilNavn")
    assert filing["id"] in name and name.endswith(".zip")
    assert document.file is not None  # the fake found it there when the call came
    assert sftp.files() == {name: document.file}  # no temporary name left beside it
    with zipfile.ZipFile(io.BytesIO(document.file)) as archive:
        assert archive.testzip() is None  # whole
        assert {"report.pdf", "metadata.json", "metadata.xml"} <= set(archive.namelist())
    with app.app_context():
        [key] = [k for k in object_store().keys("filing/") if k.endswith("/" + name)]
        assert object_store().get(key) == document.file  # the same archive as kept


def test_sftp_down_is_not_filed_and_no_call_is_made_then_it_is_sent_again(
    fake: FakeFordelingskomponent, sftp: FakeSftp, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    sftp.down()
    filing = file_report(familie, demo["meeting"])
    assert filing["state"] == "failed" and filing["acknowledged_at"] is None
    assert filing_row(app, filing["id"]).last_error.startswith("sftp: ")
    assert fake.calls == 0 and sftp.files() == {}  # no call names a file that is not there
    assert "failed 1" in send_again(app)
    assert fake.calls == 0
    sftp.down(False)
    assert "Acknowledged 1" in send_again(app)
    row = filing_row(app, filing["id"])
    assert (row.state, row.attempts) == ("acknowledged", 3)
    [document] = fake.documents.values()
    assert sftp.files() == {
        document.text("fd:DistributionContext/fd:DokumentFilNavn"): document.file
    }


def test_the_same_filing_sent_again_leaves_one_file(
    fake: FakeFordelingskomponent, sftp: FakeSftp, demo_sf2900: Any
) -> None:
    app, demo, familie = demo_sf2900
    fake.answer = "MODTAGET"  # not acknowledged: the job sends it again, file and call
    filing = file_report(familie, demo["meeting"])
    for _ in range(2):
        assert "waiting for a receipt 1" in send_again(app)
    [document] = fake.documents.values()
    assert document.sends == 3 and sftp.connections == 3  # uploaded three times ...
    [name] = sftp.files()  # ... to one name
    assert filing["id"] in name


def _other_host_keys() -> list[str]:
    """A host key of the server's type that is not its own, and one of another type."""
    ed25519 = Ed25519PrivateKey.generate().public_key()
    openssh = ed25519.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()
    other = paramiko.ECDSAKey.generate()
    return [f"{other.get_name()} {other.get_base64()}", openssh]


@pytest.mark.parametrize("which", [0, 1], ids=["same type", "other type"])
def test_a_host_key_other_than_the_pinned_one_is_refused(sftp: FakeSftp, which: int) -> None:
    target = SftpTarget.from_config({**sftp.settings(), "FILING_SFTP_HOST_KEY": "x"})
    pinned = replace(target, host_key=_other_host_keys()[which])
    with pytest.raises(NotFiled, match=r"host key is not the pinned one"):
        upload(pinned, "a.zip", b"not for this server")
    assert sftp.files() == {}
    upload(replace(target, host_key=sftp.host_key_line), "a.zip", b"for this server")
    assert sftp.files() == {"a.zip": b"for this server"}  # the pinned key is taken


def test_a_key_the_server_does_not_know_is_refused(sftp: FakeSftp, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    paramiko.ECDSAKey.generate().write_private_key_file(str(stranger))
    target = SftpTarget.from_config({**sftp.settings(), "FILING_SFTP_KEY_FILE": str(stranger)})
    with pytest.raises(NotFiled, match=r"^sftp: AuthenticationException"):
        upload(target, "a.zip", b"from a stranger")
    assert sftp.files() == {}


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        ({"FILING_SFTP_HOST": ""}, "needs FILING_SFTP_HOST"),
        ({"FILING_SFTP_HOST_KEY": ""}, "needs FILING_SFTP_HOST_KEY"),
        ({"FILING_SFTP_HOST_KEY": "ssh-ed25519 not-base64!"}, "FILING_SFTP_HOST_KEY is not"),
        ({"FILING_SFTP_KEY_FILE": "/nonexistent/key"}, "FILING_SFTP_KEY_FILE"),
        ({"FILING_SFTP_PORT": "ssh"}, "FILING_SFTP_PORT"),
    ],
)
def test_sftp_settings_are_checked_at_start(
    sftp: FakeSftp, settings: dict[str, str], refused: str
) -> None:
    good = {"FILING_EXPORTER": "sf2900", "FILING_SF2900_CVR": CVR, **sftp.settings()}
    Config(overrides={"TRIVSEL_ENV": "testing", **good}).as_flask_config()
    with pytest.raises(ConfigError, match=refused):
        Config(overrides={"TRIVSEL_ENV": "testing", **good, **settings}).as_flask_config()


def test_a_transfer_broken_before_its_rename_leaves_no_file_under_the_name(
    sftp: FakeSftp,
) -> None:
    target = SftpTarget.from_config(sftp.settings())
    sftp.renames_fail = True
    with pytest.raises(NotFiled, match=r"^sftp: "):
        upload(target, "a.zip", b"whole")
    assert "a.zip" not in sftp.files()  # the bytes are only under the temporary name
    sftp.renames_fail = False
    upload(target, "a.zip", b"whole")
    assert sftp.files() == {"a.zip": b"whole"}  # the next attempt replaces the temporary file
