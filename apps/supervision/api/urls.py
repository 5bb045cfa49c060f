from django.urls import path

from apps.supervision.api.views import (
    ComplaintDetailApi,
    ComplaintLookupApi,
    ComplaintStepApi,
    complaint_list_endpoint,
)

urlpatterns = [
    path("complaints/", complaint_list_endpoint, name="supervision-complaint-list"),
    path("complaints/lookup/", ComplaintLookupApi.as_view(), name="supervision-complaint-lookup"),
    path("complaints/<int:pk>/", ComplaintDetailApi.as_view(), name="supervision-complaint-detail"),
    path("complaints/<int:pk>/<slug:action>/", ComplaintStepApi.as_view(), name="supervision-complaint-step"),
]
