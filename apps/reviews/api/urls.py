from django.urls import path

from apps.reviews.api import views

urlpatterns = [
    path("open/indicators/", views.EvaluationIndicatorFetchApi.as_view(), name="reviews-open-indicators"),
    path("open/evaluations/", views.EvaluationUploadApi.as_view(), name="reviews-open-upload"),
    path("open/evaluations/download/", views.EvaluationDownloadApi.as_view(), name="reviews-open-download"),
    path("open/feedback/", views.EvaluationFeedbackApi.as_view(), name="reviews-open-feedback"),
    path("hotline/work-orders/<str:order_number>/verification/", views.HotlineVerificationApi.as_view(),
         name="reviews-hotline-verification"),
    path("mine/", views.EvaluationMineApi.as_view(), name="reviews-mine"),
    path("sensitive-words/", views.ReviewSensitiveWordListApi.as_view(), name="reviews-sensitive-word-list"),
    path("sensitive-words/<int:pk>/", views.ReviewSensitiveWordDetailApi.as_view(),
         name="reviews-sensitive-word-detail"),
]
