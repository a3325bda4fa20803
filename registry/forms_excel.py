from django import forms
from django.conf import settings
from django.utils import timezone

from core.excel.reader import ImportFileError, check_file
from registry.choices import ProjectLevel

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".ods", ".xlsm")


def check_upload(upload):
    limit = getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise forms.ValidationError(
            f"文件过大（{upload.size / 1048576:.1f} MB），上限为 {limit // 1048576} MB"
        )
    if upload.size == 0:
        raise forms.ValidationError("文件为空，请选择填写好的Excel文件")
    if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
        raise forms.ValidationError("只支持 .xlsx、.xls、.ods 格式的Excel文件")
    try:
        # Not a spreadsheet, broken, or beyond the bounds (zip bomb, too many rows, huge
        # cells): refused here with a 400, before a batch is recorded or a worker loads it.
        check_file(upload)
    except ImportFileError as exc:
        raise forms.ValidationError(str(exc)) from None
    upload.seek(0)
    return upload


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件",
        help_text="支持 .xlsx、.xls、.ods；可含多个工作表、标题行、合计行",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.xls,.ods", "class": "form-control"}
        ),
    )
    year = forms.IntegerField(
        label="台账年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="留空时取标题中的年份，没有则为今年",
        widget=forms.NumberInput(
            attrs={"class": "form-control", "placeholder": str(timezone.localdate().year)}
        ),
    )
    create_missing = forms.BooleanField(
        label="自动创建缺失的地区/单位/领导",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    default_level = forms.ChoiceField(
        label="默认项目级别",
        required=False,
        choices=[("", "按表格（标题或“项目级别”列）")] + list(ProjectLevel.choices),
        help_text="导入印发的计划表时，表中没有“项目级别”列、标题也未写明的，按此级别",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])
