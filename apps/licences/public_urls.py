"""Public licence and seal URLs (/licences/): verification, seal status."""
from django.urls import path

from .views import public

app_name = "licences-public"
urlpatterns = [
    path("verify/", public.verify, name="verify"),
    path("cert-login/", public.certificate_login, name="cert-login"),
    path("verify/code/<str:licence_code>/", public.licence_verify, name="licence-verify"),
    path("seals/<str:es_id>/", public.seal_status, name="seal-status"),
]
