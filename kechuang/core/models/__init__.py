from .attachments import Attachment
from .audit import AuditChainHead, AuditEvent, AuditSeal
from .calendar import CalendarDay, CalendarYear
from .dictionaries import DictItem, DictType
from .jobs import DemoLoad, ImportRecord, ImportRow, Job, JobHeartbeat, ProcessHeartbeat, ScheduledRun
from .organisations import Organisation
from .people import Person
from .regions import Region
from .workflow import StatusChangeBase

__all__ = [
    "Attachment",
    "AuditChainHead",
    "AuditEvent",
    "AuditSeal",
    "CalendarDay",
    "CalendarYear",
    "DemoLoad",
    "DictItem",
    "DictType",
    "ImportRecord",
    "ImportRow",
    "Job",
    "JobHeartbeat",
    "Organisation",
    "Person",
    "ProcessHeartbeat",
    "Region",
    "ScheduledRun",
    "StatusChangeBase",
]
