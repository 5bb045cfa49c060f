from django.urls import path

from apps.acceptance.views import (
    booking_requests,
    complaints,
    consult,
    lookup,
    public,
    public_cases,
    queue,
)

app_name = "acceptance-public"
urlpatterns = [
    path("", public.HallListPublicView.as_view(), name="halls"),
    path("halls/<int:pk>/", public.HallPublicView.as_view(), name="hall"),
    path("halls/<int:pk>/display/", queue.DisplayView.as_view(), name="display"),
    path("halls/<int:pk>/display.json", queue.DisplayJsonView.as_view(), name="display-json"),
    path("halls/<int:pk>/kiosk/", queue.KioskView.as_view(), name="kiosk"),
    path("halls/<int:pk>/consult/", consult.KnowledgePublicView.as_view(), name="consult"),
    path("halls/<int:pk>/consult/<int:entry>/", consult.KnowledgeEntryPublicView.as_view(), name="knowledge-entry"),
    path("case-code-complaint/", complaints.ComplaintPublicView.as_view(), name="code-complaint"),
    path("h/<str:token>/", public.HallScanView.as_view(), name="hall-scan"),
    path("staff/<str:token>/", public.StaffCardView.as_view(), name="staff-card"),
    path("slots/<int:pk>/book/", public.BookView.as_view(), name="book"),
    path("mine/", public.MyAppointmentsView.as_view(), name="mine"),
    path("query/", public.AppointmentQueryView.as_view(), name="query"),
    path("appointments/<str:number>/", public.AppointmentDetailView.as_view(), name="appointment-detail"),
    path("appointments/<str:number>/qr.png", public.AppointmentQrView.as_view(), name="appointment-qr"),
    path("check-in/<str:token>/", public.CheckInView.as_view(), name="check-in"),
    path("apply/<int:pk>/", public_cases.ApplyView.as_view(), name="apply"),
    path("progress/<str:token>/", public_cases.ProgressView.as_view(), name="progress"),
    path("lookup/", lookup.LookupView.as_view(), name="lookup"),
    path("booking-requests/<str:request_id>/", booking_requests.BookingRequestPublicView.as_view(),
         name="booking-request"),
]
