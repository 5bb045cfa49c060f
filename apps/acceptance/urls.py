from django.urls import path

from apps.acceptance.views import engine, portal, queue

app_name = "acceptance"
urlpatterns = [
    path("halls/", portal.HallListView.as_view(), name="hall-list"),
    path("halls/add/", portal.HallCreateView.as_view(), name="hall-add"),
    path("halls/<int:pk>/", portal.HallDetailView.as_view(), name="hall-detail"),
    path("halls/<int:pk>/edit/", portal.HallEditView.as_view(), name="hall-edit"),
    path("halls/<int:pk>/qr.png", portal.HallQrView.as_view(), name="hall-qr"),
    path("halls/<int:hall>/windows/add/", portal.WindowCreateView.as_view(), name="window-add"),
    path("halls/<int:hall>/staff/add/", portal.HallStaffCreateView.as_view(), name="staff-add"),
    path("halls/<int:hall>/window-staff/add/", portal.WindowStaffCreateView.as_view(), name="window-staff-add"),
    path("halls/<int:hall>/window-matters/add/", portal.WindowMatterCreateView.as_view(), name="window-matter-add"),
    path("halls/<int:hall>/bookable-matters/add/", portal.BookableMatterCreateView.as_view(),
         name="bookable-matter-add"),
    path("halls/<int:hall>/groups/", engine.MatterGroupView.as_view(), name="group-list"),
    path("halls/<int:hall>/check-in-qrs/", engine.CheckInQrView.as_view(), name="check-in-qr-list"),
    path("halls/<int:hall>/queue/", queue.QueueConsoleView.as_view(), name="queue-console"),
    path("staff/<int:pk>/qr.png", portal.StaffQrView.as_view(), name="staff-qr"),
    path("check-in-qrs/<int:pk>/qr.png", engine.CheckInQrImageView.as_view(), name="check-in-qr-image"),
    path("bookable-matters/<int:pk>/", engine.BookableMatterView.as_view(), name="bookable-matter"),
    path("calendar-labels/", engine.CalendarLabelView.as_view(), name="label-list"),
    path("appointments/", portal.AppointmentListView.as_view(), name="appointment-list"),
    path("statistics/", engine.StatisticsView.as_view(), name="statistics"),
    path("blacklist/", engine.BlacklistView.as_view(), name="blacklist"),
]
