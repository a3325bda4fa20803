"""Pages every user has: notices and their own export jobs."""

from django.urls import path

from portal.views import export_jobs, notices

app_name = "portal"

urlpatterns = [
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/open/", notices.notice_open, name="notice_open"),
    path("notices/read-all/", notices.notice_read_all, name="notice_read_all"),
    path("excel/exports/", export_jobs.export_list, name="export_list"),
    path("excel/exports/<int:pk>/", export_jobs.export_detail, name="export_detail"),
    path("excel/exports/<int:pk>/status/", export_jobs.export_status, name="export_status"),
    path("excel/exports/<int:pk>/file/", export_jobs.export_file, name="export_file"),
]
