from django.urls import path

from apps.servicemap.views import portal

app_name = "servicemap"
urlpatterns = [
    path("", portal.DashboardView.as_view(), name="dashboard"),
    path("bookings/", portal.WindowBookingListView.as_view(), name="booking-list"),
    path("consultations/", portal.WindowConsultationListView.as_view(), name="consultation-list"),
]
