"""The pages on top of every app, at the paths they always had (bookmarks keep working):
home, the ledger list and its export, the dashboard, notices and the user's own exports."""

from django.urls import path

from portal.views import dashboard, export_jobs, home, ledger, notices

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("projects/", ledger.LedgerListView.as_view(), name="project_list"),
    path("excel/export/ledger/", ledger.ledger_export, name="ledger_export"),
    path("assessments/dashboard/", dashboard.dashboard, name="dashboard"),
    path("assessments/dashboard/screen/", dashboard.screen, name="dashboard_screen"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/open/", notices.notice_open, name="notice_open"),
    path("notices/read-all/", notices.notice_read_all, name="notice_read_all"),
    path("excel/exports/", export_jobs.export_list, name="export_list"),
    path("excel/exports/<int:pk>/", export_jobs.export_detail, name="export_detail"),
    path("excel/exports/<int:pk>/status/", export_jobs.export_status, name="export_status"),
    path("excel/exports/<int:pk>/file/", export_jobs.export_file, name="export_file"),
]
