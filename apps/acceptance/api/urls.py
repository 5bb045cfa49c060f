from django.urls import path

from apps.acceptance.api import views

urlpatterns = [
    path("halls/", views.AcceptanceHallListApi.as_view(), name="acceptance-hall-list"),
    path("halls/<int:pk>/matters/", views.AcceptanceHallMatterListApi.as_view(), name="acceptance-hall-matters"),
    path("halls/<int:pk>/tickets/", views.AcceptanceTicketTakeApi.as_view(), name="acceptance-ticket-take"),
    path("halls/<int:pk>/display/", views.AcceptanceDisplayApi.as_view(), name="acceptance-display"),
    path("bookable-matters/<int:pk>/slots/", views.AcceptanceSlotListApi.as_view(), name="acceptance-slot-list"),
    path("appointments/", views.AcceptanceAppointmentListApi.as_view(), name="acceptance-appointment-list"),
    path("appointments/<str:number>/cancel/", views.AcceptanceAppointmentCancelApi.as_view(),
         name="acceptance-appointment-cancel"),
]

from apps.acceptance.api import code_reading, exchange  # noqa: E402

urlpatterns += [
    path("exchange/", exchange.AcceptanceExchangeApi.as_view(), name="acceptance-exchange"),
    path("case-codes/", exchange.AcceptanceCaseCodeIssueApi.as_view(), name="acceptance-case-code-issue"),
    path("case-codes/verify/", exchange.AcceptanceCaseCodeVerifyApi.as_view(), name="acceptance-case-code-verify"),
    path("case-codes/parse/", code_reading.AcceptanceCaseCodeParseApi.as_view(), name="acceptance-case-code-parse"),
    path("case-codes/read/", code_reading.AcceptanceCaseCodeReadApi.as_view(), name="acceptance-case-code-read"),
    path("cases/query/", exchange.AcceptanceCaseQueryApi.as_view(), name="acceptance-case-query"),
    path("cases/", exchange.AcceptanceMyCaseListApi.as_view(), name="acceptance-my-cases"),
]

from apps.acceptance.api import booking_requests  # noqa: E402

urlpatterns += [
    path("booking-requests/", booking_requests.AcceptanceBookingRequestApi.as_view(),
         name="acceptance-booking-request-create"),
    path("booking-requests/<str:request_id>/", booking_requests.AcceptanceBookingRequestDetailApi.as_view(),
         name="acceptance-booking-request"),
]

from apps.acceptance.api import coverage as coverage_api  # noqa: E402

urlpatterns += [
    path("integration-coverage/", coverage_api.AcceptanceCoverageApi.as_view(), name="acceptance-integration-coverage"),
]

from apps.acceptance.api import forms as forms_api  # noqa: E402

urlpatterns += [
    path("items/<int:pk>/form/", forms_api.AcceptanceItemFormApi.as_view(), name="acceptance-item-form"),
]
