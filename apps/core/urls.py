"""Kernel portal pages, mounted under /portal/core/; each area owns its module."""
from apps.core.views import audit, calendar, frontend_cases, jobs, monitoring, organisations, outbox, regions, sms

app_name = "core"
urlpatterns = [
    *regions.urlpatterns, *organisations.urlpatterns, *calendar.urlpatterns, *sms.urlpatterns,
    *audit.urlpatterns, *jobs.urlpatterns, *outbox.urlpatterns, *monitoring.urlpatterns,
    *frontend_cases.urlpatterns,
]
