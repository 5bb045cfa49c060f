app_name = "stores-public"
urlpatterns = []
