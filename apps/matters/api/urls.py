from django.urls import path

from apps.matters.api.external import OrganisationChangeReceiveApi, PowerEntryListApi
from apps.matters.api.views import GuideDetailApi, GuideListApi

urlpatterns = [
    path("", GuideListApi.as_view(), name="matters-guide-list"),
    path("<int:pk>/", GuideDetailApi.as_view(), name="matters-guide-detail"),
    path("powers/", PowerEntryListApi.as_view(), name="matters-power-list"),
    path("org-changes/", OrganisationChangeReceiveApi.as_view(), name="matters-org-changes"),
]
