"""The permission matrix: every route × every principal × objects in and out of
scope × GET and POST → the expected status, generated from the URL configuration.

- A route without a row in EXPECT fails `test_every_route_has_an_expectation` (and its own
  case), with the row to add. Only Django admin internals and DEBUG file serving are skipped.
- A refused POST (redirect to login, 403, 404, 405) must leave the database exactly as it
  was (every table of our apps and auth compared row by row).
- No response a principal gets (pages, exports, downloads) names a project outside their
  scope: names and codes of hidden projects are searched in the body and in every cell of
  an exported workbook.
- Each request runs in a savepoint that is rolled back, so one shared data set serves all
  (tests/permission_world.py) and an allowed write never changes what the next request sees.

Reading a row. Columns are the principals, in this order:

    anon  rep_a  rep_b  unit  rev_a  rev  lead_a  lead_c  admin  nobody

(anonymous; 填报员 of county A, of county B, of a city unit; 审核员 of county A, of the city;
领导 of county A, of the city; 管理员; a signed-in user without a role). A cell is the
expected outcome: a status code, `login` (redirect to the login page) or `302` (any other
redirect). For a route taking an object ("obj"), `200/404` means 200 for the county-A
object and 404 for the county-B one; a single value holds for both. A trailing `=` adds "and
the database did not change" to an outcome that is not a refusal (e.g. `302=`: redirected
with a message, nothing written). A row of one cell holds for every principal.
"""

import io
import json
import logging
import os
from contextlib import ExitStack
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.permission_rows_pipeline import PIPELINE_EXPECT
from tests.permission_world import PRINCIPALS, TODAY, build_world, forbidden_texts

# The marker makes pytest-django create the test database; the data itself is the module's
# (see `world`), each test's own transaction is just an inner savepoint.
pytestmark = pytest.mark.django_db

# ----------------------------------------------------------------------------- the table
# Keys of a row besides "GET" and "POST":
# "obj": the kind of object a route takes as <pk> (tests/permission_world.py: project, report,
#   photo, problem, letter, suspension, open_window, closed_window, ledger_batch,
#   progress_batch, export_job). A new kind: add `w.objects["kind"] = (object in county A, in county B)`
#   to build_world.
# "kwargs": lambda w, o: {...} — URL arguments other than <pk> (e.g. a year or a period).
# "params": lambda w, o: {...} — query string (GET) and extra form fields (POST).
# "data": lambda w, o: {...} — the POST body: a plausible write, so a missing check shows.


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")


# fmt: off
EXPECT = {
    # ---- accounts and API docs -----------------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "login":                     {"GET":  "200    302       302       302    302       302   302     302     302    302",
                                  "POST": "200    302       302       302    302       302   302     302     302    302"},
    "logout":                    {"GET":  "405",
                                  "POST": "login"},
    # any signed-in account changes its own password; a wrong old password changes nothing
    "password_change":           {"GET":  "login  200       200       200    200       200   200     200     200    200",
                                  "POST": "login  200=      200=      200=   200=      200=  200=    200=    200=   200=",
                                  "data": lambda w, o: {"old_password": "not-the-password",
                                                        "new_password1": "Jiangzhou#2026",
                                                        "new_password2": "Jiangzhou#2026"}},
    "password_change_done":      {"GET":  "login  200       200       200    200       200   200     200     200    200",
                                  "POST": "login  405       405       405    405       405   405     405     405    405"},
    "favicon":                   {"GET":  "302", "POST": "302"},
    "healthz":                   {"GET":  "200", "POST": "405"},
    "schema":                    {"GET":  "403    200       200       200    200       200   200     200     200    200",
                                  "POST": "403    405       405       405    405       405   405     405     405    405"},
    "api-docs":                  {"GET":  "login  200       200       200    200       200   200     200     200    200",
                                  "POST": "login  405       405       405    405       405   405     405     405    405"},
    # ---- portal: the pages that gather every app's figures ------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    # Home: a reporter's work, everyone else's dashboard (a POST is served as a GET).
    "portal:home":               {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  200       200       200    200       200   200     200     200    403"},
    "portal:project_list":       {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  405       405       405    405       405   405     405     405    403"},
    "portal:ledger_export":      {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  200       200       200    200       200   200     200     200    403"},
    # The leaders' dashboard and its 大屏: every role, each in their own scope.
    "portal:dashboard":          {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "portal:dashboard_screen":   {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    # ---- registry: projects --------------------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "registry:project_detail":   {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "login  405       405       405    405       405   405     405     405    403",
                                  "obj": "project"},
    # 入库材料 downloads: through scoping, never as public media.
    "registry:document":         {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "obj": "document"},
    # 入库材料 uploads: the project's reporters and reviewers in scope (a real PDF is written).
    "registry:document_upload":  {"GET":  "405",
                                  "POST": "login  302/404   404/302   404    302/404   302   403     403     302    403",
                                  "obj": "project",
                                  "data": lambda w, o: {"kind": "approval", "title": "矩阵批复",
                                                        "file": _pdf_upload()}},
    "registry:project_edit":     {"GET":  "login  403       403       403    200/404   200   403     403     200    403",
                                  "POST": "login  403       403       403    200/404   200   403     403     200    403",
                                  "obj": "project"},
    # 新增项目: reviewers (their own county's regions) and admins; the list year is running
    # on TODAY, so the project is a 增补 and needs its reason.
    "registry:project_create":   {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "login  403       403       403    302       302   403     403     302    403",
                                  "data": lambda w, o: {
                                      "year": "2026", "name": "矩阵新增项目", "level": "county",
                                      "nature": "new", "category": "industry",
                                      "sector": "secondary", "region": w.county_a.pk,
                                      "unit": w.unit_a.pk, "annual_plan": "100",
                                      "pool_reason": "年中增补"}},  # fmt: skip
    # The pool page (current pool, date, reason, history) for those who may change it.
    "registry:project_pool":     {"GET":  "login  403       403       403    200/404   200   403     403     200    403",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "project",
                                  "data": lambda w, o: {"pool": "withdrawn", "reason": "资金未落实",
                                                        "version": o.version}},  # fmt: skip
    # ---- registry: spreadsheets ----------------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "registry:import_list":      {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  200       200       200    200       200   403     403     200    403"},
    "registry:ledger_upload":    {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "login  403       403       403    400=      400=  403     403     400=   403"},
    # Ledger previews of the city reviewer, one touching county A only, one county B only.
    "registry:import_detail":    {"GET":  "login  404       404       404    200/404   200   403     403     200    403",
                                  "POST": "login  404       404       404    200/404   200   403     403     200    403",
                                  "obj": "ledger_batch"},
    "registry:import_status":    {"GET":  "login  404       404       404    200/404   200   403     403     200    403",
                                  "POST": "login  404       404       404    200/404   200   403     403     200    403",
                                  "obj": "ledger_batch"},
    # The uploaded file of a progress preview (ledger previews here have no file).
    "registry:import_file":      {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "obj": "progress_batch"},
    "registry:import_confirm":   {"GET":  "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "ledger_batch"},
    # 我的导出 and a big export's job: only its owner (the county's reporter) and admins see
    # the job, its progress and its file; a reviewer above the owner gets 404 too.
    "portal:export_list":      {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "portal:export_detail":    {"GET":  "login  200/404   404/200   404    404       404   404     404     200    403",
                                  "POST": "405",
                                  "obj": "export_job"},
    "portal:export_status":    {"GET":  "login  200/404   404/200   404    404       404   404     404     200    403",
                                  "POST": "405",
                                  "obj": "export_job"},
    "portal:export_file":      {"GET":  "login  200/404   404/200   404    404       404   404     404     200    403",
                                  "POST": "405",
                                  "obj": "export_job"},
    "registry:ledger_template":  {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  200       200       200    200       200   200     200     200    403"},
    "milestones:progress_template": {"GET": "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  200       200       200    200       200   200     200     200    403"},
    "milestones:progress_import": {"GET": "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  400=      400=      400=   400=      400=  403     403     400=   403"},
    # Progress previews of county A's and county B's reporter: only the uploader confirms.
    "milestones:progress_import_confirm": {
                                  "GET":  "405",
                                  "POST": "login  302/404   404/302   404    404       404   403     403     404    403",
                                  "obj": "progress_batch"},
    # ---- milestones: monthly reports -----------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "milestones:todo":           {"GET":  "login  200       200       200    403       403   403     403     200    403",
                                  "POST": "login  200=      200=      200=   403       403   403     403     200=   403"},
    # An out-of-scope project goes back to the to-do list with a message, nothing written.
    "milestones:report_new":     {"GET":  "login  200/404   404/200   404    403       403   403     403     200    403",
                                  "POST": "login  200/302=  302=/200  302=   403       403   403     403     200    403",
                                  "obj": "project",
                                  "params": lambda w, o: {"project": o.pk, "year": 2026, "month": 4},
                                  "data": lambda w, o: {"invested_month": "10", "progress_text": "矩阵",
                                                        "np_level": "county", "action": "save"}},
    "milestones:report_detail":  {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "obj": "report"},
    # A submitted report is not editable: GET goes to the report page, POST is refused.
    "milestones:report_edit":    {"GET":  "login  302/404   404/302   404    403       403   403     403     302    403",
                                  "POST": "login  200=/404  404/200=  404    403       403   403     403     200=   403",
                                  "obj": "report"},
    "milestones:photo":          {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "obj": "photo"},
    "milestones:photo_thumbnail": {"GET": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405",
                                  "obj": "photo"},
    # The project's photo wall: everyone who may see the project.
    "milestones:project_photos": {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405",
                                  "obj": "project"},
    # Kept from a failed report form: only the reporter who uploaded it sees it.
    "milestones:pending_photo":  {"GET":  "login  200/404   404/200   404    403       403   403     403     404    403",
                                  "POST": "login  200/404   404/200   404    403       403   403     403     404    403",
                                  "obj": "pending_photo"},
    "milestones:photo_delete":   {"GET":  "login  302=      302=      302=   403       403   403     403     302=   403",
                                  "POST": "login  302/404   404/302   404    403       403   403     403     302    403",
                                  "obj": "photo"},
    "milestones:review_queue":   {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "login  403       403       403    405       405   403     403     405    403"},
    "milestones:report_approve": {"GET":  "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "report", "data": lambda w, o: {"version": o.version}},
    "milestones:report_return":  {"GET":  "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "report",
                                  "data": lambda w, o: {"comment": "请补充", "version": o.version}},
    # Ids outside the reviewer's scope fall out silently: county A's reviewer changes nothing of B.
    "milestones:report_bulk_approve": {"GET": "405",
                                  "POST": "login  403       403       403    302/302=  302   403     403     302    403",
                                  "obj": "report", "data": lambda w, o: {"ids": [o.pk]}},
    # ---- milestones: 调度期 (citywide: city reviewers and admins only) ---------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "milestones:windows":        {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "data": lambda w, o: {"year": 2026, "month": 1}},
    "milestones:window_close":   {"GET":  "405",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "obj": "open_window"},
    "milestones:window_reopen":  {"GET":  "405",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "obj": "closed_window"},
    # 催报: any reviewer, for the owed projects of their own scope (at most once a day each).
    "milestones:window_chase":   {"GET":  "405",
                                  "POST": "login  403       403       403    302       302   403     403     302    403",
                                  "obj": "open_window"},
    # ---- milestones: problems and letters ------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "milestones:problem_list":   {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  405       405       405    405       405   403     403     405    403"},
    "milestones:problem_export": {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  200       200       200    200       200   403     403     200    403"},
    # A problem for an out-of-scope project: the form refuses it (200 with the message).
    "milestones:problem_create": {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  302/200=  200=/302  200=   302/200=  302   403     403     302    403",
                                  "obj": "project", "params": lambda w, o: {"project": o.pk},
                                  "data": lambda w, o: {"category": "land", "description": "矩阵问题",
                                                        "coordination_level": "county", "status": "open"}},
    "milestones:problem_edit":   {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  302/404   404/302   404    302/404   302   403     403     302    403",
                                  "obj": "problem",
                                  "data": lambda w, o: {"category": "land", "description": o.description,
                                                        "coordination_level": "county", "status": "in_progress",
                                                        "progress_note": "矩阵推进", "version": o.version}},
    "milestones:problem_resolve": {"GET": "405",
                                  "POST": "login  302/404   404/302   404    302/404   302   403     403     302    403",
                                  "obj": "problem",
                                  "data": lambda w, o: {"resolution": "已解决", "version": o.version}},
    "milestones:letter_list":    {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  405       405       405    405       405   403     403     405    403"},
    "milestones:letter_create":  {"GET":  "login  403       403       403    200/404   200   403     403     200    403",
                                  "POST": "login  403       403       403    302/200=  302   403     403     302    403",
                                  "obj": "project", "params": lambda w, o: {"project": o.pk},
                                  "data": lambda w, o: {"kind": "reminder", "body": "请加快",
                                                        "reply_deadline": "2026-05-01",
                                                        "action": "issue"}},
    "milestones:letter_detail":  {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "obj": "letter"},
    "milestones:letter_reply":   {"GET":  "405",
                                  "POST": "login  302/404   404/302   404    403       403   403     403     302    403",
                                  "obj": "letter", "data": lambda w, o: {"reply": "已办理"}},
    "milestones:letter_withdraw": {"GET": "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "letter",
                                  "data": lambda w, o: {"reason": "重复发函", "version": o.version}},
    # ---- milestones: per project ---------------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "milestones:milestone_edit": {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  200=/404  404/200=  404    200=/404  200=  403     403     200=   403",
                                  "obj": "project"},
    # Each project already has a pending request: the service refuses another (200, message).
    "milestones:suspension_request": {"GET": "login 200/404  404/200   404    403       403   403     403     200    403",
                                  "POST": "login  200=/404  404/200=  404    403       403   403     403     200=   403",
                                  "obj": "project",
                                  "data": lambda w, o: {"kind": "resume", "happened_on": "2026-04-10",
                                                        "reason": "复工"}},
    "milestones:suspension_list": {"GET": "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  405       405       405    405       405   403     403     405    403"},
    "milestones:suspension_decide": {"GET": "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "suspension", "data": lambda w, o: {"decision": "approve"}},
    # ---- registry: factors (年度计划, 资金, 用地, 征迁, 前期手续, 工作班子) -------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "registry:factor_edit":      {"GET":  "login  403       403       403    200/404   200   403     403     200    403",
                                  "POST": "login  403       403       403    400=/404  400=  403     403     400=   403",
                                  "obj": "project", "kwargs": lambda w, o: {"pk": o.pk, "section": "land"}},
    # ---- assessments: judgement lists, scores, records, rule sets ---------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "assessments:list":          {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405",
                                  "kwargs": lambda w, o: {"kind": "lagging"}},
    "assessments:export":        {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405",
                                  "kwargs": lambda w, o: {"kind": "unstarted"}},
    "assessments:project_strip": {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405",
                                  "obj": "project"},
    "assessments:scores":        {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "assessments:score_export":  {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "assessments:records":       {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "assessments:negative_export": {"GET": "login 200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    # The printable 通报: every role, each in their own scope (no other county's project named);
    # a county user asking for the other county gets 400 (tests in reports/tests/test_bulletin.py).
    "bulletin:page":             {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405",
                                  "params": lambda w, o: {"kind": "monthly", "period": "2026-03"}},
    # 发布: the city DRC only (city reviewer, admin); a county reviewer, leaders and reporters
    # are refused and nothing is published. Publishing 乙区's March (already published in
    # the world, unchanged since) is refused as a correction that changes nothing: 302=.
    "bulletin:publish":          {"GET":  "405",
                                  "POST": "login  403       403       403    403       302=  403     403     302=   403",
                                  "data": lambda w, o: {"kind": "monthly", "period": "2026-03",
                                                        "region": w.county_b.pk}},
    # A published version's page and workbook: any role, in the version's scope.
    "bulletin:version":          {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "publication"},
    "bulletin:download":         {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "publication"},
    "assessments:forecast":      {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "assessments:forecast_export": {"GET": "login 200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "assessments:rule_list":     {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "405"},
    # Only the city DRC and admins change the rules; an empty form is refused, nothing saved.
    "assessments:rule_create":   {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       200=  403     403     200=   403"},
    "assessments:rule_edit":     {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       200=  403     403     200=   403",
                                  "obj": "ruleset"},
    # 调度报表: reviewers, leaders and admins; a county user sees and downloads its county's
    # runs only (the city-wide ones too only for whole-city users). Asking writes a run: 302.
    "reports:list":              {"GET":  "login  403       403       403    200       200   200     200     200    403",
                                  "POST": "login  403       403       403    302       302   302     302     302    403",
                                  "data": lambda w, o: {"kind": "monthly", "period": "2026-02",
                                                        "region": w.county_a.pk}},
    "reports:status":            {"GET":  "login  403       403       403    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "report_run"},
    "reports:download":          {"GET":  "login  403       403       403    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "report_run"},
    # ---- registry: 年度名单 (the year cycle is a city action) ------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "registry:years":            {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "405"},
    "year_cycle:next":           {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "kwargs": lambda w, o: {"year": 2026}},
    "registry:year_close":       {"GET":  "405",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "kwargs": lambda w, o: {"year": 2025}},
    "registry:year_reopen":      {"GET":  "405",
                                  "POST": "login  403       403       403    403       403   403     403     302=   403",
                                  "kwargs": lambda w, o: {"year": 2025}},
    # Notices: everyone signed in has their own list; a notice opens only for its recipient.
    "portal:notices":          {"GET":  "login  200       200       200    200       200   200     200     200    200",
                                  "POST": "405"},
    "portal:notice_open":      {"GET":  "405",
                                  "POST": "login  302/404   404/302   404    404       404   404     404     404    404",
                                  "obj": "notice"},
    "portal:notice_read_all":  {"GET":  "405",
                                  "POST": "login  302       302       302    302       302   302     302     302    302"},
    # ---- REST API (each row also covers the route's `.json` format-suffix twin) ----------
    # Anonymous: 403 (session authentication has no login challenge). Leaders read.
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "api:api-root":              {"GET":  "403    200       200       200    200       200   200     200     200    200",
                                  "POST": "403    405       405       405    405       405   405     405     405    405"},
    "api:region-list":           {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:dashboard":             {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:dashboard_charts":      {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:dashboard_map":         {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:scores":                {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:forecast":              {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:forecast_projects":     {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:forecast_at_risk":      {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:notice-list":           {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:notice-detail":         {"GET":  "403    200/404   404/200   404    404       404   404     404     404    403",
                                  "POST": "403", "PATCH": "403", "DELETE": "403", "obj": "notice"},
    "api:notice-read":           {"GET":  "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    200/404   404/200   404    404       404   404     404     404    403",
                                  "obj": "notice"},
    "api:reportrun-list":        {"GET":  "403    403       403       403    200       200   200     200     200    403",
                                  "POST": "403    403       403       403    201       201   201     201     201    403",
                                  "data": lambda w, o: {"kind": "monthly", "period": "2026-02",
                                                        "region": w.county_a.pk}},
    "api:reportrun-detail":      {"GET":  "403    403       403       403    200/404   200   200/404 200     200    403",
                                  "POST": "403", "PATCH": "403", "DELETE": "403",
                                  "obj": "report_run"},
    # Published versions: read-only, scoped as report runs.
    "api:publication-list":      {"GET":  "403    403       403       403    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:publication-detail":    {"GET":  "403    403       403       403    200/404   200   200/404 200     200    403",
                                  "POST": "403", "PATCH": "403", "DELETE": "403",
                                  "obj": "publication"},
    "api:projectstatus-list":    {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:projectstatus-detail":  {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "status"},
    "api:region-detail":         {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "region"},
    "api:unit-list":             {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:unit-detail":           {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "unit"},
    "api:leader-list":           {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:leader-detail":         {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "leader"},
    "api:project-list":          {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:project-detail":        {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403",
                                  "PATCH": "403   403       403       403    200/404   200   403     403     200    403",
                                  "DELETE": "403",
                                  "obj": "project",
                                  "data": lambda w, o: {"name": o.name + "改", "version": o.version}},
    "api:annualplan-list":       {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:annualplan-detail":     {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "annual_plan"},
    "api:milestone-list":        {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:milestone-detail":      {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "milestone"},
    "api:progressreport-list":   {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403    400=      400=      400=   403       403   403     403     400=   403"},
    # The reports are submitted: the reporter's edit and submit are refused (400), unchanged.
    "api:progressreport-detail": {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403",
                                  "PATCH": "403   400=/404  404/400=  404    403       403   403     403     400=   403",
                                  "DELETE": "403",
                                  "obj": "report",
                                  "data": lambda w, o: {"progress_text": "矩阵改", "version": o.version}},
    "api:progressreport-approve": {"GET": "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    403       403       403    200/404   200   403     403     200    403",
                                  "obj": "report", "data": lambda w, o: {"version": o.version}},
    "api:progressreport-return": {"GET":  "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    403       403       403    200/404   200   403     403     200    403",
                                  "obj": "report",
                                  "data": lambda w, o: {"comment": "请补充", "version": o.version}},
    "api:progressreport-submit": {"GET":  "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    400=/404  404/400=  404    403       403   403     403     400=   403",
                                  "obj": "report", "data": lambda w, o: {"version": o.version}},
    "api:problem-list":          {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403    400=      400=      400=   400=      400=  403     403     400=   403"},
    # A reporter may not move a deadline: 400, nothing changed; the reviewer may.
    "api:problem-detail":        {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403",
                                  "PATCH": "403   400=/404  404/400=  404    200/404   200   403     403     200    403",
                                  "DELETE": "403",
                                  "obj": "problem",
                                  "data": lambda w, o: {"deadline": "2026-12-31", "version": o.version}},
    "api:problem-resolve":       {"GET":  "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    200/404   404/200   404    200/404   200   403     403     200    403",
                                  "obj": "problem",
                                  "data": lambda w, o: {"resolution": "已解决", "version": o.version}},
    "api:letter-list":           {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:letter-detail":         {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "letter"},
    # ---- instructions: 领导批示 -------------------------------------------------------------
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "instructions:list":         {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  405       405       405    405       405   405     405     405    403"},
    # Leaders (and admins) write 批示 on projects they see.
    "instructions:create":       {"GET":  "login  403       403       403    403       403   200/404 200     200    403",
                                  "POST": "login  403       403       403    403       403   302/404 302     302    403",
                                  "obj": "project", "params": lambda w, o: {"project": o.pk},
                                  "data": lambda w, o: {"text": "矩阵批示", "deadline": "2026-04-20"}},
    "instructions:detail":       {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "instruction"},
    # The responsible side answers: the reporters who see it, admins.
    "instructions:feedback":     {"GET":  "405",
                                  "POST": "login  302/404   404/302   404    403       403   403     403     302    403",
                                  "obj": "instruction",
                                  "data": lambda w, o: {"text": "矩阵反馈", "version": o.version}},
    "instructions:attachment":   {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "instruction_attachment"},
    "instructions:project_panel": {"GET": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "project"},
    "instructions:leader_summary": {"GET": "login 403       403       403    403       403   200     200     200    403",
                                  "POST": "405"},
    "api:instruction-list":      {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:instruction-detail":    {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "instruction"},
    # ---- evaluations: 观摩评比 ("evaluation": A = an open event visiting 甲县 and 乙区
    # projects; B = a closed one visiting 乙区's only, county B's reporter its 评委). Events are
    # run by the city DRC; the city's leaders read them; an evaluator sees their own event.
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "evaluations:list":          {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "evaluations:create":        {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       302   403     403     302    403",
                                  "data": lambda w, o: {"name": "矩阵观摩", "year": "2026",
                                                        "starts_on": "2026-04-01",
                                                        "ends_on": "2026-04-02"}},
    "evaluations:detail":        {"GET":  "login  404       404/200   404    404       200   404     200     200    403",
                                  "POST": "405", "obj": "evaluation"},
    "evaluations:edit":          {"GET":  "405",
                                  "POST": "login  404       404/403   404    404       302   404     403     302    403",
                                  "obj": "evaluation",
                                  "data": lambda w, o: {"action": "group", "group-name": "矩阵组"}},
    "evaluations:close":         {"GET":  "405",
                                  "POST": "login  404       404/403   404    404       302   404     403     302    403",
                                  "obj": "evaluation"},
    # Scoring: the event's evaluators only (B is closed: a score is refused, nothing written).
    "evaluations:score":         {"GET":  "login  404       404/200   404    404       403   404     403     403    403",
                                  "POST": "405", "obj": "evaluation"},
    "evaluations:score_save":    {"GET":  "405",
                                  "POST": "login  404       404/400=  404    404       403   404     403     403    403",
                                  "obj": "evaluation"},
    "evaluations:photo":         {"GET":  "login  404       404/200   404    404       200   404     200     200    403",
                                  "POST": "405", "obj": "evaluation",
                                  "kwargs": lambda w, o: {"photo_pk": w.evaluation_photo[o.pk].pk}},
    # The ranking: managers see the open event's draft; everyone who sees a closed one, it.
    "evaluations:bulletin":      {"GET":  "login  404       404/200   404    404       200   404     403/200 200    403",
                                  "POST": "405", "obj": "evaluation"},
    "evaluations:export":        {"GET":  "login  404       404/200   404    404       200   404     403/200 200    403",
                                  "POST": "405", "obj": "evaluation"},
    "evaluations:lookback":      {"GET":  "login  404       404/200   404    404       200   404     200     200    403",
                                  "POST": "405", "obj": "evaluation"},
    "api:evaluation-list":       {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:evaluation-detail":     {"GET":  "403    404       404/200   404    404       200   404     200     200    403",
                                  "POST": "403", "PATCH": "403", "DELETE": "403",
                                  "obj": "evaluation"},
    "api:evaluation-my-scores":  {"GET":  "403    404       404/200   404    404       403   404     403     403    403",
                                  "POST": "403    404       404/400=  404    404       403   404     403     403    403",
                                  "obj": "evaluation",
                                  "data": lambda w, o: {"stop": o.stops.first().pk,
                                                        "criterion": o.criteria.first().pk,
                                                        "points": "10"}},
}
# fmt: on
EXPECT.update(PIPELINE_EXPECT)

# Routes not in the matrix, and why. Nothing else may be skipped.
SKIPPED_PREFIXES = ("admin/",)  # Django admin: its own staff/permission checks
SKIPPED_VIEWS = ("django.views.static.serve",)  # DEBUG file serving (static, media)

REFUSED = {"login", "401", "403", "404", "405"}
WRITE_METHODS = ("PUT", "PATCH", "DELETE")  # tested when a row names them (API routes)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ----------------------------------------------------------------------------- routes


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def routes():
    """(route, url name, pattern) of every URL pattern of the project, skips excepted."""
    found = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        view = pattern.lookup_str
        if route.startswith(SKIPPED_PREFIXES) or view in SKIPPED_VIEWS:
            continue
        found.append((route, name or f"<unnamed {route}>", pattern))
    return found


ROUTES = routes()


def url_params(pattern):
    """Names of a route's URL arguments (path converters or regex groups, e.g. DRF's)."""
    return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)


def _suggestion(route, name, pattern):
    obj = ', "obj": "<kind>"' if "pk" in url_params(pattern) else ""
    return (
        f'URL "{name}" (/{route}, view {pattern.lookup_str}) has no row in EXPECT of '
        f"tests/test_permission_matrix.py. Add one, for example:\n"
        f'    "{name}": {{"GET": "login 200 200 200 200 200 200 200 200 403",\n'
        f'               "POST": "405"{obj}}},\n'
        f"with the status each principal must get (see the module docstring)."
    )


def test_every_route_has_an_expectation():
    missing = [_suggestion(*r) for r in ROUTES if r[1] not in EXPECT]
    assert not missing, "\n\n".join(missing)
    names = {name for _route, name, _p in ROUTES}
    stale = sorted(set(EXPECT) - names)
    assert not stale, f"EXPECT has rows for routes that no longer exist: {stale}"


# ----------------------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set for the module, inside a transaction rolled back at the end."""
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))))
        mp = stack.enter_context(pytest.MonkeyPatch.context())
        # Hundreds of expected 403/404s: keep their warnings out of the log (500s still show).
        mp.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
        real = timezone.localdate
        mp.setattr(
            timezone, "localdate", lambda v=None, tz=None: TODAY if v is None else real(v, tz)
        )
        stack.enter_context(transaction.atomic())
        w = build_world()
        w.clients = {"anonymous": Client()}
        for principal, user in w.users.items():
            w.clients[principal] = Client()
            w.clients[principal].force_login(user)
        w.forbidden = {p: forbidden_texts(w, p) for p in PRINCIPALS}
        w.baseline = fingerprint()
        yield w
        transaction.set_rollback(True)


FINGERPRINT_APPS = (
    "registry",
    "milestones",
    "pipeline",
    "assessments",
    "evaluations",
    "reports",
    "auth",
)
FINGERPRINT_SKIP = ("auth.Permission",)  # fixed by migrations; no page writes it


def _tables():
    tables = []
    for app in FINGERPRINT_APPS:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.label not in FINGERPRINT_SKIP:
                tables.append(model._meta.db_table)
    return tables


def fingerprint():
    """A hash of every row of every table a request could write (our apps, their history,
    m2m links, users and groups): raw SQL, so it stays cheap enough to run per request."""
    out = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            out[table] = hash(repr(cursor.fetchall()))  # repr: PostgreSQL returns JSON as dicts
    return out


def changed_tables(before, after):
    return sorted(k for k in before if before[k] != after.get(k))


# ----------------------------------------------------------------------------- requests


def expectations(row, method):
    """{principal: (expected for county-A object, for county-B object)} of a row."""
    cells = row.get(method, "").split()
    if len(cells) == 1:
        cells = cells * len(PRINCIPALS)
    assert len(cells) == len(PRINCIPALS), f"{method}: {len(cells)} cells, need {len(PRINCIPALS)}"
    out = {}
    for principal, cell in zip(PRINCIPALS, cells, strict=True):
        a, _, b = cell.partition("/")
        out[principal] = (a, b or a)
    return out


def outcome(response):
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        return "login" if target == resolve_url(settings.LOGIN_URL) else "302"
    return str(response.status_code)


def body_text(response):
    """What a user gets: the page, or every cell of an exported workbook, or the file."""
    if response.streaming:
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if response.get("Content-Type", "").startswith(XLSX):
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v
        )
    return data.decode("utf-8", errors="ignore")


def call(w, principal, method, url, data, *, unchanged=False):
    """One request in a savepoint that is rolled back; returns (outcome, problems).
    `unchanged`: the database must not change even though the request is not refused."""
    client = w.clients[principal]
    cookies = SimpleCookie()
    cookies.update(client.cookies)  # a logout must not log the next request out
    problems = []
    try:
        with transaction.atomic():
            if method in WRITE_METHODS:  # an API write: a JSON body
                body = json.dumps(data or {})
                response = client.generic(method, url, body, content_type="application/json")
            else:
                response = getattr(client, method.lower())(url, data or {})
            got = outcome(response)
            if unchanged or (method != "GET" and got in REFUSED):
                tables = changed_tables(w.baseline, fingerprint())
                if tables:
                    problems.append(f"refused ({got}) but changed {tables}")
            if got == "200":
                text = body_text(response)
                leaked = [t for t in w.forbidden[principal] if t in text]
                if leaked:
                    problems.append(f"shows out-of-scope projects {leaked}")
            transaction.set_rollback(True)
    except Exception as exc:  # a 500: report it with the others
        got = f"500({type(exc).__name__}: {exc})"
    finally:
        client.cookies = cookies
    return got, problems


def url_for(w, name, pattern, obj, row):
    """The URL of the route for `obj`. DRF's format-suffix twin of a route (`….json`) is the
    same view: it is requested as JSON under the same row."""
    kwargs = row["kwargs"](w, obj) if "kwargs" in row else {}
    for key in url_params(pattern):
        if key == "format":
            kwargs[key] = "json"
        elif key == "pk" and key not in kwargs:
            kwargs[key] = obj.pk
        assert key in kwargs, f'{name} takes <{key}>: its EXPECT row needs "kwargs": lambda w, o: …'
    return reverse(name, kwargs=kwargs)


def run_route(w, name, pattern):
    row = EXPECT[name]
    kind = row.get("obj")
    if "pk" in url_params(pattern) and not kind:
        pytest.fail(f'{name} takes <pk>: its EXPECT row needs "obj": "<kind>"')
    targets = list(zip("AB", w.objects[kind], strict=True)) if kind else [("-", None)]
    failures, observed = [], {}
    for method in ("GET", "POST", *(m for m in WRITE_METHODS if m in row)):
        want = expectations(row, method)
        for principal in PRINCIPALS:
            got_cells = []
            for side, obj in targets:
                url = url_for(w, name, pattern, obj, row)
                params = row["params"](w, obj) if "params" in row else {}
                data = dict(params)
                if method != "GET" and "data" in row:
                    data.update(row["data"](w, obj))
                cell = want[principal][0 if side in "-A" else 1]
                expected = cell.rstrip("=")
                got, problems = call(w, principal, method, url, data, unchanged=cell.endswith("="))
                got_cells.append(got)
                if got != expected:
                    failures.append(
                        f"{method} {principal:<12} {side}: expected {expected}, got {got}"
                    )
                failures += [f"{method} {principal:<12} {side}: {p}" for p in problems]
            observed.setdefault(method, []).append(
                got_cells[0] if len(set(got_cells)) == 1 else "/".join(got_cells)
            )
    return failures, observed


def _observed_row(observed):
    return {m: " ".join(cells) for m, cells in observed.items()}


def _case_id(name, pattern):
    return name + (".json" if "format" in url_params(pattern) else "")


@pytest.mark.parametrize(
    "name,pattern", [(n, p) for _r, n, p in ROUTES], ids=[_case_id(n, p) for _r, n, p in ROUTES]
)
def test_route(world, name, pattern):
    if name not in EXPECT:
        route = next(r for r, n, _p in ROUTES if n == name)
        pytest.fail(_suggestion(route, name, pattern))
    failures, observed = run_route(world, name, pattern)
    if os.environ.get("MATRIX_RECORD"):
        print(f"\nOBSERVED {name!r}: {_observed_row(observed)}")
    assert not failures, (
        f"{name}: " + "\n  ".join(["", *failures]) + f"\nobserved row: {_observed_row(observed)}"
    )


# ----------------------------------------------------------------------------- lists


# Lists, exports and downloads: what a county user must find (own county) and must not.
LISTS = (
    "portal:project_list",
    "portal:ledger_export",
    "registry:import_list",
    "milestones:review_queue",
    "milestones:problem_list",
    "milestones:problem_export",
    "milestones:letter_list",
    "milestones:suspension_list",
    "api:project-list",
    "api:forecast_projects",
    "api:problem-list",
    "api:progressreport-list",
    "instructions:list",
    "api:instruction-list",
)
OWN = {  # principal → (text of their county that the list shows, text of the other county)
    "reporter_a": ("甲县一号工程", "乙区三号工程"),
    "reviewer_a": ("甲县一号工程", "乙区三号工程"),
    "reporter_b": ("乙区三号工程", "甲县一号工程"),
}
IMPORT_FILES = {"reviewer_a": ("甲县台账.xlsx", "乙区台账.xlsx")}


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_own_county_rows_and_no_others(world, name):
    checked = 0
    for principal, (own, other) in OWN.items():
        if name == "registry:import_list":
            if principal not in IMPORT_FILES:
                continue
            own, other = IMPORT_FILES[principal]
        response = world.clients[principal].get(reverse(name))
        if response.status_code == 403:
            continue  # the role may not use this list (the matrix checks that)
        assert response.status_code == 200, (name, principal, response.status_code)
        text = body_text(response)
        assert own in text, f"{name}: {principal} should see {own}"
        assert other not in text, f"{name}: {principal} sees {other}"
        checked += 1
    assert checked, f"{name}: no county user could open it"


def test_leak_check_catches_a_leak(world):
    # given the city reviewer's project list, which shows every county
    text = body_text(world.clients["reviewer"].get(reverse("portal:project_list")))
    # then the check used for county A's users would flag county B's projects in it
    leaked = [t for t in world.forbidden["reporter_a"] if t in text]
    assert "乙区三号工程" in leaked and "MX-B-03" in leaked


def test_missing_row_message_says_what_to_add():
    route, name, pattern = next(r for r in ROUTES if r[1] == "registry:project_detail")
    message = _suggestion(route, name, pattern)
    assert '"registry:project_detail"' in message and "/projects/<int:pk>/" in message
    assert '"obj": "<kind>"' in message and "EXPECT" in message


def test_fingerprint_sees_a_write(world):
    # given the baseline, when a row changes inside a savepoint, then the fingerprint differs
    problem = world.objects["problem"][0]
    with transaction.atomic():
        type(problem).objects.filter(pk=problem.pk).update(responsible_person="某某")
        assert changed_tables(world.baseline, fingerprint()) == ["milestones_problem"]
        transaction.set_rollback(True)
    assert fingerprint() == world.baseline
