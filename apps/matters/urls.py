app_name = "matters"
urlpatterns = []
