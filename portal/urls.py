"""The portal's pages, at the paths they always had (bookmarks and links keep working)."""

from django.urls import path

from portal.views import dashboard, home, ledger

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("projects/", ledger.LedgerListView.as_view(), name="project_list"),
    path("excel/export/ledger/", ledger.ledger_export, name="ledger_export"),
    path("assessments/dashboard/", dashboard.dashboard, name="dashboard"),
    path("assessments/dashboard/screen/", dashboard.screen, name="dashboard_screen"),
]
