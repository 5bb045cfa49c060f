from django.urls import path

from .views import LicenceSharedApi, SealAutoSignApi, SealStatusApi, SealVerifyApi

urlpatterns = [
    path("verify/", SealVerifyApi.as_view(), name="licences-seal-verify"),
    path("shared/<str:licence_code>/", LicenceSharedApi.as_view(), name="licences-shared"),
    path("auto-sign/", SealAutoSignApi.as_view(), name="licences-auto-sign"),
    path("seals/<str:es_id>/", SealStatusApi.as_view(), name="licences-seal-status"),
]
