"""Writes of the milestones app, one module per entity. Views, commands and tasks call these
through the package (`from milestones import services`; `services.report_approve(...)`);
messages are Chinese.

Every function takes keyword-only arguments, validates (full_clean) and saves. Edits of an
existing report or problem pass the `version` the user saw; `check_version` refuses a stale
one, so a second writer never overwrites the first (no lost update).
"""

from milestones.services.letter import letter_issue, letter_reply, next_letter_number
from milestones.services.milestone import milestone_delete, milestone_save
from milestones.services.problem import (
    MSG_UNIT_SCOPE,
    PROBLEM_FIELDS,
    REPORTER_PROBLEM_FIELDS,
    can_direct_problems,
    problem_create,
    problem_defaults,
    problem_resolve,
    problem_supervise,
    problem_update,
)
from milestones.services.report import (
    MSG_APPROVED,
    MSG_SUBMITTED,
    REPORT_FIELDS,
    report_add_photos,
    report_create,
    report_delete_photo,
    report_save,
    report_submit,
    report_update,
)
from milestones.services.review import report_approve, report_return, reports_bulk_approve
from milestones.services.suspension import (
    project_is_suspended,
    suspension_decide,
    suspension_request,
)
from milestones.services.window import open_window, window_close, window_open
from milestones.totals import derive_totals, earlier_months
from registry.services import StaleEditError

__all__ = [
    "MSG_APPROVED",
    "MSG_SUBMITTED",
    "MSG_UNIT_SCOPE",
    "PROBLEM_FIELDS",
    "REPORTER_PROBLEM_FIELDS",
    "REPORT_FIELDS",
    "StaleEditError",
    "can_direct_problems",
    "derive_totals",
    "earlier_months",
    "letter_issue",
    "letter_reply",
    "milestone_delete",
    "milestone_save",
    "next_letter_number",
    "open_window",
    "problem_create",
    "problem_defaults",
    "problem_resolve",
    "problem_supervise",
    "problem_update",
    "project_is_suspended",
    "report_add_photos",
    "report_approve",
    "report_create",
    "report_delete_photo",
    "report_return",
    "report_save",
    "report_submit",
    "report_update",
    "reports_bulk_approve",
    "suspension_decide",
    "suspension_request",
    "window_close",
    "window_open",
]
