app_name = "supervision-public"
urlpatterns = []
