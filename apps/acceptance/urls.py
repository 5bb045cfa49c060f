from django.urls import path

from apps.acceptance.views import cases, dispatch, engine, portal, queue

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
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/intake/", cases.CaseIntakeView.as_view(), name="case-intake"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/documents/<str:kind>.pdf", cases.CaseDocumentView.as_view(), name="case-document"),
    path("supplements/", cases.SupplementListView.as_view(), name="supplement-list"),
    path("integration/", dispatch.ClientListView.as_view(), name="client-list"),
    path("case-codes/", dispatch.CodeListView.as_view(), name="code-list"),
    path("case-codes/<str:code>/qr.png", dispatch.CodeQrView.as_view(), name="code-qr"),
]
