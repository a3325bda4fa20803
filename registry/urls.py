from django.urls import include, path

from registry.views import documents, factors, projects, years

app_name = "registry"

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/pool/", projects.project_pool, name="project_pool"),
    path("projects/<int:pk>/factors/<slug:section>/", factors.factor_edit, name="factor_edit"),
    path("years/", years.year_list, name="years"),
    path("years/<int:year>/next/", years.year_next, name="year_next"),
    path("years/<int:year>/close/", years.year_close, name="year_close"),
    path("years/<int:year>/reopen/", years.year_reopen, name="year_reopen"),
    path("documents/<int:pk>/", documents.document_download, name="document"),
    path("projects/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path("excel/", include("registry.urls_excel")),
]
