"""Dump every export's cells (values and visible styles) to JSON, for a before/after diff.
Not committed: copied into a tree, run, removed."""

import datetime
import io
import json
import os
import zoneinfo

import openpyxl
import pytest
import time_machine

from milestones.tests.factories import MilestoneFactory
from registry.choices import Role
from registry.tests.factories import AnnualPlanFactory, ProjectFactory, make_user

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
OUT = os.environ.get("DUMP_OUT", "/tmp/rules_dump/out.json")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 20, 10, tzinfo=SH), tick=False):
        yield


def cells(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    out = {}
    for ws in wb.worksheets:
        sheet = {
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "validations": sorted(
                (str(dv.sqref), dv.formula1, dv.error) for dv in ws.data_validations.dataValidation
            ),
            "autofilter": ws.auto_filter.ref,
            "cells": [],
            "styles": [],
        }
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                v = c.value
                if isinstance(v, (datetime.date, datetime.datetime)):
                    v = v.isoformat()
                elif v is not None and not isinstance(v, (str, int, float, bool)):
                    v = str(v)
                sheet["cells"].append([c.coordinate, v, c.data_type])
                sheet["styles"].append(
                    [c.coordinate, c.number_format, bool(c.font.b), c.font.sz,
                     c.fill.fgColor.rgb if c.fill.fill_type else None,
                     bool(c.border.left.style)]
                )
        out[ws.title] = sheet
    return out


def test_dump(frozen, report_city, client):
    c = report_city
    late = ProjectFactory(region=c.a, unit=c.unit_a, name="未开工项目", started_on=None,
                          planned_start=datetime.date(2026, 1, 15))
    AnnualPlanFactory(project=late)
    MilestoneFactory(project=c.a1, name="主体完工", planned_on=datetime.date(2026, 2, 1),
                     actual_on=None)
    from assessments.services import assess_month
    assess_month(year=2026, month=3)
    admin = make_user("dump_admin", Role.ADMIN, region=c.city)
    client.force_login(admin)
    urls = [
        "/excel/export/ledger/?year=2026",
        "/excel/templates/ledger/?year=2026",
        "/excel/templates/progress/?year=2026",
        "/milestones/problems/export/",
        "/assessments/scores/export/?period=2026-Q1",
        "/assessments/records/negative/export/?year=2026&month=3",
        "/assessments/forecast/export/?year=2026&month=3",
    ] + [f"/assessments/lists/{k}/export/?year=2026&month=3" for k in
         ("warning", "lagging", "unstarted", "milestones", "problems", "unregistered")]
    result = {}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        result[url] = cells(r.content)
    from reports.services import request_run
    for kind, period in (("monthly", "2026-03"), ("quarterly", "2026-Q1"), ("yearly", "2025")):
        run = request_run(kind=kind, period=period)
        run.refresh_from_db()
        assert run.file, run.error
        with open(run.file.path, "rb") as fh:
            result[f"report:{kind}"] = cells(fh.read())
    with open(OUT, "w") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=0, sort_keys=True)
