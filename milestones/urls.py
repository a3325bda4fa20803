app_name = "milestones"

urlpatterns = []
