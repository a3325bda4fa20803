"""Spreadsheet import/export pages (SPEC §4.3)."""

from django.urls import path

from registry.views import exports, imports

urlpatterns = [
    path("imports/", imports.import_list, name="import_list"),
    path("imports/ledger/", imports.ledger_upload, name="ledger_upload"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", imports.import_status, name="import_status"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/file/", imports.import_file, name="import_file"),
    path("export/ledger/", exports.ledger_export, name="ledger_export"),
    path("templates/ledger/", exports.ledger_template, name="ledger_template"),
]
