app_name = "matters-public"
urlpatterns = []
