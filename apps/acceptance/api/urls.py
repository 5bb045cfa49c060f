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
