app_name = "acceptance-public"
urlpatterns = []
