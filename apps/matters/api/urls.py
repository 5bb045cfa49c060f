from django.urls import path

from apps.matters.api.views import GuideDetailApi, GuideListApi

urlpatterns = [
    path("", GuideListApi.as_view(), name="matters-guide-list"),
    path("<int:pk>/", GuideDetailApi.as_view(), name="matters-guide-detail"),
]
