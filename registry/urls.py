from django.urls import include, path

from registry.views import documents, factors, notices, projects

app_name = "registry"

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/factors/<slug:section>/", factors.factor_edit, name="factor_edit"),
    path("documents/<int:pk>/", documents.document_download, name="document"),
    path("excel/", include("registry.urls_excel")),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/open/", notices.notice_open, name="notice_open"),
    path("notices/read-all/", notices.notice_read_all, name="notice_read_all"),
]
