from django.urls import path

from .views import SealStatusApi, SealVerifyApi

urlpatterns = [
    path("verify/", SealVerifyApi.as_view(), name="licences-seal-verify"),
    path("seals/<str:es_id>/", SealStatusApi.as_view(), name="licences-seal-status"),
]
