from django.urls import path

from apps.ops.api import views

urlpatterns = [
    path("alerts/", views.AlertListApi.as_view(), name="ops-alert-list"),
    path("work-orders/", views.WorkOrderListApi.as_view(), name="ops-work-order-list"),
    path("work-orders/<int:pk>/handle/", views.WorkOrderHandleApi.as_view(), name="ops-work-order-handle"),
    path("indicators/", views.ThreatIndicatorListApi.as_view(), name="ops-indicator-list"),
    path("metrics/", views.MetricUploadApi.as_view(), name="ops-metric-upload"),
    path("events/", views.LogUploadApi.as_view(), name="ops-event-upload"),
]
