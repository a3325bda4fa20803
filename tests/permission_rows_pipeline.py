"""Permission-matrix rows of the pipeline routes (merged into EXPECT of
tests/test_permission_matrix.py; same columns and cells)."""

import datetime


def _stage_data(w, o):
    return {"stage": "mature", "changed_on": "2026-04-01", "note": ""}


# fmt: off
PIPELINE_EXPECT = {
    #                                     anon   rep_a     rep_b     unit   rev_a     rev   lead_a  lead_c  admin  nobody
    "pipeline:overview":         {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "pipeline:overview_export":  {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    # targets are the city's: city reviewers and admins
    "pipeline:targets":          {"GET":  "login  403       403       403    403       200   403     403     200    403",
                                  "POST": "login  403       403       403    403       302   403     403     302    403"},
    "pipeline:list":             {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "login  405       405       405    405       405   405     405     405    403"},
    "pipeline:export":           {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    # submitting: reporters (own county), reviewers, admins; a region outside the scope is refused
    "pipeline:create":           {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  302       200=      200=   302       302   403     403     302    403",
                                  "data": lambda w, o: {"name": "矩阵谋划项目", "region": w.county_a.pk,
                                                        "category": "industry", "total_investment": "100",
                                                        "source": "own", "funds_in_place": "0"}},
    "pipeline:detail":           {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "pipeline"},
    "pipeline:edit":             {"GET":  "login  200/404   404/200   404    200/404   200   403     403     200    403",
                                  "POST": "login  302/404   404/302   404    302/404   302   403     403     302    403",
                                  "obj": "pipeline",
                                  "data": lambda w, o: {"name": o.name + "（改）", "region": o.region_id,
                                                        "unit": o.unit_id, "category": "industry",
                                                        "total_investment": "13000", "source": "own",
                                                        "funds_in_place": "0", "version": o.version}},
    "pipeline:move":             {"GET":  "405",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "pipeline", "data": _stage_data},
    # admission: city reviewers only; this project is not 成熟 yet, so nothing is written
    "pipeline:admit":            {"GET":  "405",
                                  "POST": "login  403       403       403    403       302=  403     403     302=   403",
                                  "obj": "pipeline",
                                  "data": lambda w, o: {"year": "2026", "level": "county", "plan": "100", "sector": "secondary",
                                                        "unit": w.unit_a.pk, "reason": "矩阵"}},
    "pipeline:document_upload":  {"GET":  "405",
                                  "POST": "login  302/404   404/302   404    302/404   302   403     403     302    403",
                                  "obj": "pipeline",
                                  "data": lambda w, o: {"kind": "approval", "title": "矩阵批复",
                                                        "file": _pdf()}},
    "pipeline:document":         {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "obj": "pipeline_document"},
    "pipeline:import":           {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "login  200=      200=      200=   200=      200=  403     403     200=   403"},
    "pipeline:import_template":  {"GET":  "login  200       200       200    200       200   403     403     200    403",
                                  "POST": "405"},
    "pipeline:batch_list":       {"GET":  "login  200       200       200    200       200   200     200     200    403",
                                  "POST": "405"},
    "pipeline:batch_create":     {"GET":  "login  403       403       403    200       200   403     403     200    403",
                                  "POST": "login  403       403       403    302       302   403     403     302    403",
                                  "data": lambda w, o: {"name": "矩阵集中开工", "held_on": "2026-04-01",
                                                        "region": w.county_a.pk, "projects": [w.pa.pk]}},
    "pipeline:batch_detail":     {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "start_batch"},
    "pipeline:batch_edit":       {"GET":  "login  403       403       403    200/404   200   403     403     200    403",
                                  "POST": "login  403       403       403    302/404   302   403     403     302    403",
                                  "obj": "start_batch",
                                  "data": lambda w, o: {"name": o.name + "（改）", "held_on": "2026-03-01",
                                                        "region": o.region_id,
                                                        "projects": list(o.projects.values_list("pk", flat=True))}},
    "pipeline:batch_export":     {"GET":  "login  200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "405", "obj": "start_batch"},
    "api:pipelineproject-list":  {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403    201       400=      400=   201       201   403     403     201    403",
                                  "data": lambda w, o: {"name": "接口谋划项目", "region": w.county_a.pk,
                                                        "category": "industry", "total_investment": "100"}},
    "api:pipelineproject-detail": {"GET": "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403",
                                  "PATCH": "403   200/404   404/200   404    200/404   200   403     403     200    403",
                                  "obj": "pipeline",
                                  "data": lambda w, o: {"note": "接口备注", "version": o.version}},
    "api:pipelineproject-stage": {"GET":  "403    405       405       405    405       405   405     405     405    403",
                                  "POST": "403    403       403       403    200/404   200   403     403     200    403",
                                  "obj": "pipeline", "data": _stage_data},
    "api:startbatch-list":       {"GET":  "403    200       200       200    200       200   200     200     200    403",
                                  "POST": "403"},
    "api:startbatch-detail":     {"GET":  "403    200/404   404/200   404    200/404   200   200/404 200     200    403",
                                  "POST": "403", "obj": "start_batch"},
}
# fmt: on


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")


__all__ = ["PIPELINE_EXPECT", "datetime"]
