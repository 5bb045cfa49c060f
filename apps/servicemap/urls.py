app_name = "servicemap"
urlpatterns = []
