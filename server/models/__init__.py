"""All models, imported here so metadata and Alembic see every table."""

from server.models.account_change import AccountChange, PasswordToken
from server.models.agreement import Agreement
from server.models.attachment import Attachment
from server.models.audit import AuditEntry
from server.models.auth_session import AuthSession
from server.models.blob_upload import BlobUpload
from server.models.board_note import BoardNote
from server.models.board_photo import BoardPhoto
from server.models.child import Child
from server.models.conflict import SyncConflict
from server.models.consent import Consent
from server.models.course import Course, CourseMember
from server.models.device_key import DeviceKey
from server.models.guardian import Guardian
from server.models.guardian_access import GuardianInvitation, GuardianSession
from server.models.houses import Houses
from server.models.institution import Institution
from server.models.login_throttle import LoginThrottle
from server.models.meeting import Meeting
from server.models.minutes import Minutes
from server.models.outbox import OutboundMessage
from server.models.parent_comment import ParentComment
from server.models.participant import Participant
from server.models.report import Filing, Report, ReportPage, ReportReading
from server.models.scaling import ScalingAnswer
from server.models.sync_tables import SYNC_TABLES
from server.models.task import Task
from server.models.user import User

__all__ = [
    "SYNC_TABLES",
    "AccountChange",
    "Agreement",
    "Attachment",
    "AuditEntry",
    "AuthSession",
    "BlobUpload",
    "BoardNote",
    "BoardPhoto",
    "Child",
    "Consent",
    "Course",
    "CourseMember",
    "DeviceKey",
    "Filing",
    "Guardian",
    "GuardianInvitation",
    "GuardianSession",
    "Houses",
    "Institution",
    "LoginThrottle",
    "Meeting",
    "Minutes",
    "OutboundMessage",
    "ParentComment",
    "Participant",
    "PasswordToken",
    "Report",
    "ReportPage",
    "ReportReading",
    "ScalingAnswer",
    "SyncConflict",
    "Task",
    "User",
]
