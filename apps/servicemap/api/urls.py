from django.urls import path

from apps.servicemap.api import views

urlpatterns = [
    path("markers/", views.MarkersApi.as_view(), name="servicemap-markers"),
    path("regions/<str:code>/", views.RegionNavigationApi.as_view(), name="servicemap-region"),
    path("locate/", views.LocateApi.as_view(), name="servicemap-locate"),
    path("suggest/", views.SuggestApi.as_view(), name="servicemap-suggest"),
    path("search/", views.SearchApi.as_view(), name="servicemap-search"),
    path("nearest/", views.NearestApi.as_view(), name="servicemap-nearest"),
    path("halls/<int:pk>/", views.HallDetailApi.as_view(), name="servicemap-hall"),
    path("windows/<int:pk>/", views.WindowDetailApi.as_view(), name="servicemap-window"),
    path("codes/", views.CodeSendApi.as_view(), name="servicemap-codes"),
    path("windows/<int:pk>/bookings/", views.WindowBookingApi.as_view(), name="servicemap-window-booking"),
    path("windows/<int:pk>/consultations/", views.WindowConsultationApi.as_view(),
         name="servicemap-window-consultation"),
    path("windows/<int:pk>/evaluations/", views.WindowEvaluationApi.as_view(), name="servicemap-window-evaluation"),
]
