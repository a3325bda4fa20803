"""Spreadsheet import/export pages (SPEC §4.3)."""

urlpatterns = []
