from django.urls import path

from pipeline.views import batches, overview, projects

app_name = "pipeline"

urlpatterns = [
    path("", overview.overview_page, name="overview"),
    path("export/", overview.overview_export, name="overview_export"),
    path("targets/", overview.targets_page, name="targets"),
    path("projects/", projects.PipelineListView.as_view(), name="list"),
    path("projects/export/", projects.pipeline_export, name="export"),
    path("projects/new/", projects.pipeline_create, name="create"),
    path("projects/<int:pk>/", projects.pipeline_detail, name="detail"),
    path("projects/<int:pk>/edit/", projects.pipeline_edit, name="edit"),
    path("projects/<int:pk>/stage/", projects.pipeline_move, name="move"),
    path("projects/<int:pk>/admit/", projects.pipeline_admit, name="admit"),
    path("projects/<int:pk>/documents/", projects.document_upload, name="document_upload"),
    path("documents/<int:pk>/", projects.document_download, name="document"),
    path("import/", projects.pipeline_import_view, name="import"),
    path("import/template/", projects.import_template, name="import_template"),
    path("batches/", batches.batch_list, name="batch_list"),
    path("batches/new/", batches.batch_edit, name="batch_create"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", batches.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/export/", batches.batch_export, name="batch_export"),
]
