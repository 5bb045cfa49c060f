from django.urls import path

from apps.ops.api import views

urlpatterns = [
    path("alerts/", views.AlertListApi.as_view(), name="ops-alert-list"),
    path("tickets/", views.TicketListApi.as_view(), name="ops-ticket-list"),
    path("tickets/<int:pk>/handle/", views.TicketHandleApi.as_view(), name="ops-ticket-handle"),
    path("indicators/", views.ThreatIndicatorListApi.as_view(), name="ops-indicator-list"),
    path("metrics/", views.MetricUploadApi.as_view(), name="ops-metric-upload"),
    path("events/", views.LogUploadApi.as_view(), name="ops-event-upload"),
]
