"""Public licence and seal URLs (/licences/): verification, seal status."""
from django.urls import path

from .views import public, reader

app_name = "licences-public"
urlpatterns = [
    path("verify/", public.verify, name="verify"),
    path("cert-login/", public.certificate_login, name="cert-login"),
    path("reader/", reader.reader_upload, name="reader-open"),
    path("reader/<str:digest>/", reader.reader, name="reader"),
    path("reader/<str:digest>/page/<int:page>.png", reader.reader_page, name="reader-page"),
    path("reader/<str:digest>/print.pdf", reader.reader_pdf, name="reader-pdf"),
    path("reader/licence/<int:pk>/", reader.licence_reader, name="licence-reader"),
    path("verify/code/<str:licence_code>/", public.licence_verify, name="licence-verify"),
    path("seals/<str:es_id>/", public.seal_status, name="seal-status"),
]
