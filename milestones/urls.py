from django.urls import include, path

from milestones.views import letters, photos, problems, projects, reports, review, windows

app_name = "milestones"

urlpatterns = [
    path("import/", include("milestones.urls_import")),
    # 填报员
    path("todo/", reports.todo, name="todo"),
    path("reports/new/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("photos/<int:pk>/", reports.photo_download, name="photo"),
    path("photos/pending/<int:pk>/", reports.pending_photo_download, name="pending_photo"),
    path("photos/<int:pk>/delete/", reports.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/thumbnail/", photos.photo_thumbnail, name="photo_thumbnail"),
    # 审核员
    path("review/", review.ReviewQueueView.as_view(), name="review_queue"),
    path("reports/<int:pk>/approve/", review.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", review.report_return, name="report_return"),
    path("review/bulk-approve/", review.report_bulk_approve, name="report_bulk_approve"),
    path("windows/", windows.window_list, name="windows"),
    path("windows/<int:pk>/close/", windows.window_close, name="window_close"),
    path("windows/<int:pk>/reopen/", windows.window_reopen, name="window_reopen"),
    path("windows/<int:pk>/chase/", windows.window_chase, name="window_chase"),
    # 问题清单
    path("problems/", problems.ProblemListView.as_view(), name="problem_list"),
    path("problems/export/", problems.problem_export, name="problem_export"),
    path("problems/new/", problems.problem_create, name="problem_create"),
    path("problems/<int:pk>/edit/", problems.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/resolve/", problems.problem_resolve, name="problem_resolve"),
    # 两函一单
    path("letters/", letters.LetterListView.as_view(), name="letter_list"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/reply/", letters.letter_reply, name="letter_reply"),
    path("letters/<int:pk>/withdraw/", letters.letter_withdraw, name="letter_withdraw"),
    # Per project
    path("projects/<int:pk>/milestones/", projects.milestone_edit, name="milestone_edit"),
    path("projects/<int:pk>/photos/", photos.project_photos, name="project_photos"),
    path("projects/<int:pk>/suspension/", projects.suspension_request, name="suspension_request"),
    path("suspensions/", projects.SuspensionListView.as_view(), name="suspension_list"),
    path("suspensions/<int:pk>/decide/", projects.suspension_decide, name="suspension_decide"),
]
