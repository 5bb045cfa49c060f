"""Kernel API under /api/v1/core/; each area owns its module."""
from apps.core.api import audit, calendar, jobs, organisations, outbox, regions, sms

urlpatterns = [
    *regions.urlpatterns, *organisations.urlpatterns, *calendar.urlpatterns, *sms.urlpatterns,
    *audit.urlpatterns, *jobs.urlpatterns, *outbox.urlpatterns,
]
