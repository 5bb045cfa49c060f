app_name = "stores"
urlpatterns = []
