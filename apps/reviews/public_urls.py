from django.urls import path

from apps.reviews.views import guides, homes, public, rankings

app_name = "reviews-public"
urlpatterns = [
    path("", public.overview, name="overview"),
    path("board/", rankings.public_board, name="board"),
    path("guides/<str:code>/evaluate/", guides.guide_evaluate, name="guide-evaluate"),
    path("board/sections/", homes.sections, name="sections"),
    path("regions/<str:code>/", homes.region_home, name="region-home"),
    path("departments/<int:pk>/", homes.department_home, name="department-home"),
    path("halls/<int:pk>/", homes.hall_column, name="hall-column"),
    path("rankings/<slug:kind>/", public.ranking, name="ranking"),
    path("rankings/<slug:dimension>/<int:pk>/", public.ranking_detail, name="ranking-detail"),
    path("evaluate/", public.lookup, name="lookup"),
    path("evaluate/<str:case_number>/", public.evaluate_case, name="evaluate-case"),
    path("qr/<slug:kind>/<str:token>/", public.static_qr, name="static-qr"),
    path("d/<str:token>/", public.dynamic_qr, name="dynamic-qr"),
    path("sms/<str:token>/", public.sms_link, name="sms"),
    path("mine/", public.mine, name="mine"),
    path("pad/<int:window_id>/", public.pad, name="pad"),
    path("help/", public.help_page, name="help"),
]
