from .attachments import Attachment
from .audit import AuditChainHead, AuditEvent
from .calendar import CalendarDay, CalendarYear
from .dictionaries import DictItem, DictType
from .jobs import DemoLoad, Job, JobHeartbeat, ProcessHeartbeat, ScheduledRun
from .organisations import Organisation
from .people import Person
from .regions import Region

__all__ = [
    "Attachment",
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "DemoLoad",
    "DictItem",
    "DictType",
    "Job",
    "JobHeartbeat",
    "Organisation",
    "Person",
    "ProcessHeartbeat",
    "Region",
    "ScheduledRun",
]
