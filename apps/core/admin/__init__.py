"""Admin registrations of the kernel, one module per area."""
from apps.core.admin import audit, calendar, jobs, monitoring, organisations, outbox, regions, sms  # noqa: F401
