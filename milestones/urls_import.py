"""Monthly progress spreadsheet upload (SPEC §4.3), included by milestones/urls.py."""

urlpatterns = []
