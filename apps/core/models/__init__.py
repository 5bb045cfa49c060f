"""Core models, one module per aggregate; re-exported here."""
from apps.core.models.organisations import REGION_WIDE_KINDS, Organisation, OrganisationKind  # noqa: F401
from apps.core.models.regions import Region, RegionLevel  # noqa: F401
from apps.core.models.datasources import DataSourceCode  # noqa: F401
from apps.core.models.org_changes import (  # noqa: F401
    ChangeKind, ChangeStatus, OrganisationChangeRequest, OrganisationSubscriber,
)
from apps.core.models.calendar import CalendarDay, CalendarDaySource  # noqa: F401
from apps.core.models.outbox import OutboxMessage, OutboxStatus  # noqa: F401
from apps.core.models.sms import SmsMessage, SmsSchedule, SmsScheduleTime  # noqa: F401
from apps.core.models.workflow import StateTransition  # noqa: F401
from apps.core.models.audit import AuditAction, AuditLog  # noqa: F401,E402
from apps.core.models.jobs import FINISHED_STATUSES, JobRun, JobStatus  # noqa: F401,E402
from apps.core.models.monitoring import (  # noqa: F401,E402
    InterfaceMaintainer, FrontEndProcessor, IncidentKind, InterfaceStatus, MonitoredInterface, MonitoringIncident,
    ProcessorStatus, ScheduledTaskRun,
)
