app_name = "licences-public"
urlpatterns = []
