from django.urls import path

from instructions import views

app_name = "instructions"

urlpatterns = [
    path("", views.InstructionListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("projects/<int:pk>/panel/", views.project_panel, name="project_panel"),
    path("summary/", views.leader_summary, name="leader_summary"),
]
