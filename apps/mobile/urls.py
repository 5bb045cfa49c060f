app_name = "mobile"
urlpatterns = []
