app_name = "servicemap-public"
urlpatterns = []
