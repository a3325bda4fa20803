"""项目谋划库 pages: the list and its export, submitting, editing, stage moves, admission,
documents and the Excel import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.excel import workbook
from core.files import private_file_response
from pipeline import services
from pipeline.choices import STAGE_DATE, PipelineStage
from pipeline.excel_import import COLUMNS, pipeline_import
from pipeline.filtersets import PipelineFilterSet
from pipeline.forms import AdmitForm, DocumentForm, ImportForm, PipelineForm, StageForm
from pipeline.models import PipelineDocument
from pipeline.selectors import band_of, bands, visible_pipeline
from pipeline.views.common import errors_text, xlsx_response
from registry.filter_fields import filtered
from registry.roles import has_role
from registry.scoping import is_city_level
from registry.services import StaleEditError
from registry.views.mixins import ScopedFilterView, role_required

SUBMITTERS, REVIEWERS = services.SUBMITTERS, services.REVIEWERS


class PipelineListView(ScopedFilterView):
    template_name = "pipeline/list.html"
    filterset_class = PipelineFilterSet
    paginate_by = 50

    def get_queryset(self):
        return visible_pipeline(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        band_list = bands()
        ctx["rows"] = [(p, band_of(p.total_investment, band_list)) for p in ctx["object_list"]]
        ctx["can_submit"] = has_role(self.request.user, *SUBMITTERS)
        return ctx


EXPORT_HEADERS = ["项目名称", "谋划地区", "谋划单位", "项目类别", "估算总投资(万元)", "规模档次",
                  "谋划阶段", "项目来源", "投资方", "签约时间", "签约金额(万元)", "备案时间",
                  "预计开工时间", "谋划时间", "列入名单"]  # fmt: skip


@require_GET
@role_required()
def pipeline_export(request):
    qs = filtered(PipelineFilterSet(request.GET, visible_pipeline(request.user), user=request.user))
    band_list = bands()
    rows = [
        [p.name, p.region.name, p.unit.name if p.unit else "", p.get_category_display(),
         p.total_investment, str(band_of(p.total_investment, band_list) or ""),
         p.get_stage_display(), p.get_source_display(), p.investor, p.signed_on,
         p.contract_amount, p.filed_on, p.expected_start, p.idea_on,
         p.project.code if p.project else ""]
        for p in qs.order_by("region__code", "-total_investment", "id")
    ]  # fmt: skip
    data = workbook.table(
        title="项目谋划库", sheet="谋划库", headers=EXPORT_HEADERS, rows=rows,
        money_columns=(4, 10), widths={0: 30, 8: 20},
    )  # fmt: skip
    return xlsx_response(data, "项目谋划库")


@role_required(*SUBMITTERS)
def pipeline_create(request):
    form = PipelineForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pp = services.pipeline_create(data=form.cleaned_data, user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"谋划项目“{pp.name}”已提交")
            return redirect("pipeline:detail", pk=pp.pk)
    return render(request, "pipeline/form.html", {"form": form, "pp": None})


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for key, errs in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@role_required(*SUBMITTERS)
def pipeline_edit(request, pk):
    pp = get_object_or_404(visible_pipeline(request.user), pk=pk)
    if pp.admitted:
        messages.error(request, services.MSG_ADMITTED)
        return redirect("pipeline:detail", pk=pk)
    form = PipelineForm(request.POST or None, instance=pp, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.pipeline_update(
                pp=pp, data=data, version=form.cleaned_data["version"] or 0, user=request.user
            )
        except (StaleEditError, ValidationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("pipeline:detail", pk=pk)
    return render(request, "pipeline/form.html", {"form": form, "pp": pp})


@require_GET
@role_required()
def pipeline_detail(request, pk):
    pp = get_object_or_404(visible_pipeline(request.user), pk=pk)
    user = request.user
    context = {
        "pp": pp,
        "band": band_of(pp.total_investment, bands()),
        "changes": pp.stage_changes.select_related("changed_by"),
        "journey": [
            (PipelineStage(stage).label, getattr(pp, field))
            for stage, field in STAGE_DATE.items()
            if getattr(pp, field)
        ],
        "documents": pp.documents.all(),
        "history": pp.history.select_related("history_user")[:30],
        "can_edit": has_role(user, *SUBMITTERS) and not pp.admitted,
        "can_move": has_role(user, *REVIEWERS) and not pp.admitted,
        "can_admit": has_role(user, *REVIEWERS)
        and is_city_level(user)
        and not pp.admitted
        and pp.stage == "mature",
        "stage_form": StageForm(),
        "document_form": DocumentForm(),
    }
    if context["can_admit"]:
        context["admit_form"] = AdmitForm(user=user, pp=pp)
    return render(request, "pipeline/detail.html", context)


@require_POST
@role_required(*REVIEWERS)
def pipeline_move(request, pk):
    pp = get_object_or_404(visible_pipeline(request.user), pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("pipeline:detail", pk=pk)
    try:
        change = services.pipeline_move(
            pp=pp, to_stage=form.cleaned_data["stage"], on=form.cleaned_data["changed_on"],
            note=form.cleaned_data["note"], user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已调整为“{change.get_to_stage_display()}”阶段")
    return redirect("pipeline:detail", pk=pk)


@require_POST
@role_required(*REVIEWERS)
def pipeline_admit(request, pk):
    if not is_city_level(request.user):
        raise PermissionDenied("只有市级审核员可以将项目列入重点项目名单")
    pp = get_object_or_404(visible_pipeline(request.user), pk=pk)
    form = AdmitForm(request.POST, user=request.user, pp=pp)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("pipeline:detail", pk=pk)
    try:
        project = services.pipeline_admit(pp=pp, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("pipeline:detail", pk=pk)
    messages.success(request, f"已列入{form.cleaned_data['year']}年重点项目名单：{project.code}")
    return redirect("registry:project_detail", pk=project.pk)


@require_POST
@role_required(*SUBMITTERS)
def document_upload(request, pk):
    pp = get_object_or_404(visible_pipeline(request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    back = reverse("pipeline:detail", args=[pk]) + "#documents"
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    try:
        doc = services.document_add(
            pp=pp, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"], user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"材料“{doc.title}”已上传")
    return redirect(back)


@role_required()
def document_download(request, pk):
    doc = get_object_or_404(
        PipelineDocument.objects.filter(pipeline_project__in=visible_pipeline(request.user)), pk=pk
    )
    return private_file_response(doc.file, doc.original_name)


@role_required(*SUBMITTERS)
def pipeline_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("apply") != "1"
        result = pipeline_import(form.cleaned_data["file"], user=request.user, dry_run=dry_run)
        if result.written:
            messages.success(request, f"导入完成：{result.summary}")
            return redirect("pipeline:list")
    labels = {c.key: c.label for c in COLUMNS}
    return render(
        request, "pipeline/import.html", {"form": form, "result": result, "labels": labels}
    )


@require_GET
@role_required(*SUBMITTERS)
def import_template(request):
    data = workbook.table(
        title="项目谋划库导入模板", sheet="谋划项目", headers=[c.label for c in COLUMNS], rows=[],
        widths={j: c.width for j, c in enumerate(COLUMNS)},
    )  # fmt: skip
    return xlsx_response(data, "谋划项目导入模板")
