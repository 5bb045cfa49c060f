from django.urls import path

from .views import LicenceSharedApi, SealAutoSignApi, SealStatusApi, SealVerifyApi

from . import client_sign, external_generation, generation
from . import sharing as share

urlpatterns = [
    path("share/token/", share.LicenceShareTokenApi.as_view(), name="licences-share-token"),
    path("share/generate/", external_generation.LicenceGenerateExternalApi.as_view(), name="licences-share-generate"),
    path("share/licences/", share.LicenceShareByHolderApi.as_view(), name="licences-share-by-holder"),
    path("share/licences/<str:licence_code>/", share.LicenceShareInfoApi.as_view(), name="licences-share-info"),
    path("share/licences/<str:licence_code>/file/", share.LicenceShareFileApi.as_view(), name="licences-share-file"),
    path("share/licences/<str:licence_code>/image/", share.LicenceShareImageApi.as_view(),
         name="licences-share-image"),
    path("share/files/", share.LicenceShareHolderFilesApi.as_view(), name="licences-share-holder-files"),
    path("share/images/", share.LicenceShareHolderImagesApi.as_view(), name="licences-share-holder-images"),
    path("share/verify/", share.LicenceShareVerifyApi.as_view(), name="licences-share-verify"),
    path("share/types/", share.LicenceShareTypesApi.as_view(), name="licences-share-types"),
    path("share/search/", share.LicenceShareSearchApi.as_view(), name="licences-share-search"),
    path("share/proxy/<slug:route>/licences/<str:licence_code>/<str:operation>/", share.LicenceShareProxyApi.as_view(),
         name="licences-share-proxy"),
    path("client-sign/", client_sign.LicenceUKeyPrepareApi.as_view(), name="licences-ukey-prepare"),
    path("client-sign/<int:request_id>/complete/", client_sign.LicenceUKeyCompleteApi.as_view(),
         name="licences-ukey-complete"),
    path("web-sign/verify/", client_sign.LicenceWebSignVerifyApi.as_view(), name="licences-web-sign-verify"),
    path("generate/", generation.LicenceGenerateApi.as_view(), name="licences-generate"),
    path("convert/", generation.LicenceConvertApi.as_view(), name="licences-convert"),
    path("verify/", SealVerifyApi.as_view(), name="licences-seal-verify"),
    path("shared/<str:licence_code>/", LicenceSharedApi.as_view(), name="licences-shared"),
    path("auto-sign/", SealAutoSignApi.as_view(), name="licences-auto-sign"),
    path("seals/<str:es_id>/", SealStatusApi.as_view(), name="licences-seal-status"),
]
