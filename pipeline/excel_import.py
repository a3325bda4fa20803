"""Pipeline projects from a spreadsheet (SPEC §3.9, with the ledger's rules of §4.3): the
ledger's reader (title rows, header synonyms, 亿元, several sheets), a dry run that reports
new/changed/unchanged/error rows without writing, errors naming sheet, row and column, an
import with errors writes nothing, and re-importing the same file changes nothing (rows
match on 项目名称 + 谋划地区)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.excel import values
from core.excel.reader import ImportFileError, parse_cell, read_workbook
from core.excel.schema import CHOICE, DATE, MONEY, TEXT, ChoiceMap, Column, Schema, normalise
from pipeline.choices import STAGE_ORDER, PipelineStage, Source
from pipeline.models import PipelineProject
from pipeline.services import EDIT_FIELDS, REVIEWERS, SUBMITTERS, pipeline_create, pipeline_move
from registry.excel.choices import CATEGORY, SECTOR
from registry.ledger_lookups import strip_region_suffix
from registry.roles import has_role
from registry.scoping import visible_regions, visible_units

COLUMNS = [
    Column("seq", "序号", TEXT, ("序", "行号"), width=6),
    Column("name", "项目名称", TEXT, ("名称", "项目", "谋划项目名称"), required=True, width=30),
    Column("region", "谋划地区", TEXT, ("所属地区", "县区", "所在地", "地区", "所属县区"),
           required=True, width=12),
    Column("unit", "谋划单位", TEXT, ("责任单位", "申报单位", "谋划主体", "单位"), width=16),
    Column("category", "项目类别", CHOICE, ("类别",), width=10),
    Column("sector", "产业类别", CHOICE, ("产业",), width=10),
    Column("total_investment", "估算总投资(万元)", MONEY,
           ("总投资", "估算总投资", "计划总投资", "投资估算", "预计总投资"), width=14),
    Column("scope", "建设内容及规模", TEXT, ("建设内容", "主要建设内容"), width=30),
    Column("stage", "谋划阶段", CHOICE, ("阶段", "项目阶段", "成熟度"), width=10),
    Column("source", "项目来源", CHOICE, ("来源",), width=10),
    Column("investor", "投资方", TEXT, ("投资主体", "招商企业", "签约企业"), width=20),
    Column("signed_on", "签约时间", DATE, ("签约日期",), width=12),
    Column("contract_amount", "签约金额(万元)", MONEY, ("合同金额", "协议投资额", "签约投资"), width=14),
    Column("filed_on", "备案时间", DATE, ("备案日期", "立项备案时间"), width=12),
    Column("expected_start", "预计开工时间", DATE, ("计划开工时间", "拟开工时间"), width=12),
    Column("note", "备注", TEXT, (), width=20),
]  # fmt: skip
SCHEMA = Schema("pipeline", COLUMNS, key_columns=("name", "region"))
STAGE = ChoiceMap(PipelineStage, {"谋划类": "idea", "储备类": "reserve", "前期类": "preparation",
                                  "成熟类": "mature", "可开工": "mature"})  # fmt: skip
SOURCE = ChoiceMap(Source, {"自主": "own", "招商": "investment", "招引": "investment"})
CHOICES = {"category": CATEGORY, "sector": SECTOR, "stage": STAGE, "source": SOURCE}
REQUIRED_NEW = ("name", "region", "category")
FIELD_OF = {k: PipelineProject._meta.get_field(k) for k in EDIT_FIELDS if k not in ("region", "unit", "leader")}  # fmt: skip


@dataclass
class ImportResult:
    new: list = field(default_factory=list)  # (where, values)
    changed: list = field(default_factory=list)  # (where, project, {field: (old, new)})
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # Chinese lines naming sheet, row, column
    written: bool = False

    @property
    def summary(self) -> str:
        return (
            f"共{len(self.new) + len(self.changed) + len(self.unchanged)}行：新增{len(self.new)}项，"
            f"变更{len(self.changed)}项，未变{len(self.unchanged)}项，错误{len(self.errors)}处"
        )


class _Places:
    def __init__(self, user):
        self.regions = {}
        for r in visible_regions(user).only("id", "name", "path"):
            for key in {normalise(r.name), strip_region_suffix(normalise(r.name))}:
                self.regions.setdefault(key, []).append(r)
        self.units = {}
        for u in visible_units(user).only("id", "name"):
            self.units.setdefault(normalise(u.name), []).append(u)

    def find(self, table, name):
        key = normalise(name)
        found = table.get(key) or table.get(strip_region_suffix(key)) or []
        return found[0] if len(found) == 1 else (None if not found else False)


def _parse(sheet, row_no, raw, places, errors):
    where = f"{sheet.name} 第{row_no}行"
    vals, ok = {}, True
    for key, cell in raw.items():
        col = SCHEMA.by_key[key]
        try:
            vals[key] = parse_cell(
                col, sheet.columns[key][1], cell, CHOICES.get(key), FIELD_OF.get(key)
            )
        except values.CellError as exc:
            errors.append(f"{where} {col.label}: {exc}")
            ok = False
    vals.pop("seq", None)
    for key, table, label in (
        ("region", places.regions, "谋划地区"),
        ("unit", places.units, "谋划单位"),
    ):
        name = vals.get(key)
        if not name:
            continue
        found = places.find(table, name)
        if not found:
            why = "有多个同名，请填写全称" if found is False else "不存在或不在您的范围内"
            errors.append(f"{where} {label}: “{values.shown(name)}”{why}")
            ok = False
        vals[key] = found or None
    return where, (vals if ok else None)  # fmt: skip


def _compare(existing, vals):
    changes = {}
    for key, value in vals.items():
        if key in ("stage", "region") or value is None:
            continue
        old = getattr(existing, key)
        if old != value:
            changes[key] = (old, value)
    return changes


def _check_row(where, vals, user, errors):
    missing = [SCHEMA.by_key[k].label for k in REQUIRED_NEW if not vals.get(k)]
    if missing:
        errors.append(f"{where} {'、'.join(missing)}: 新项目必须填写")
        return False
    stage = vals.get("stage") or PipelineStage.IDEA
    if stage != PipelineStage.IDEA and not has_role(user, *REVIEWERS):
        errors.append(f"{where} 谋划阶段: 填报员导入的项目从“谋划”开始，阶段由审核员调整")
        return False
    return True


def pipeline_import(source, *, user, dry_run=True) -> ImportResult:
    """Read the workbook and, unless `dry_run` or any row has an error, write it atomically."""
    if not has_role(user, *SUBMITTERS):
        raise PermissionDenied("只有填报员、审核员和管理员可以导入谋划项目")
    result = ImportResult()
    try:
        book = read_workbook(source, SCHEMA)
    except ImportFileError as exc:
        result.errors.append(str(exc))
        return result
    places = _Places(user)
    existing = {
        (normalise(p.name), p.region_id): p
        for p in PipelineProject.objects.visible_to(user).filter(is_deleted=False)
    }
    seen = {}
    for sheet in book.sheets:
        for row_no, raw in sheet.rows:
            where, vals = _parse(sheet, row_no, raw, places, result.errors)
            if vals is None:
                continue
            key = (
                normalise(vals.get("name") or ""),
                vals["region"].pk if vals.get("region") else None,
            )
            if key in seen:
                result.errors.append(f"{where} 项目名称: 与{seen[key]}重复")
                continue
            seen[key] = where
            found = existing.get(key)
            if found is None:
                if _check_row(where, vals, user, result.errors):
                    result.new.append((where, vals))
            elif found.admitted:
                result.unchanged.append((where, found))
            elif changes := _compare(found, vals):
                result.changed.append((where, found, changes))
            else:
                result.unchanged.append((where, found))  # fmt: skip
    if dry_run or result.errors:
        return result
    try:
        _write(result, user)
    except ValidationError as exc:
        result.errors.extend(exc.messages)
        result.written = False
    return result


@transaction.atomic
def _write(result, user):
    from pipeline.services import pipeline_update

    for where, vals in result.new:
        stage = vals.pop("stage", None) or PipelineStage.IDEA
        data = {k: v for k, v in vals.items() if v is not None or k in ("unit",)}
        try:
            pp = pipeline_create(data=data, user=user)
            if STAGE_ORDER.index(stage) > 0:
                pipeline_move(pp=pp, to_stage=stage, user=user, note="Excel导入")
        except ValidationError as exc:
            raise ValidationError([f"{where} {m}" for m in exc.messages]) from None
    for where, pp, changes in result.changed:
        try:
            pipeline_update(pp=pp, data={k: new for k, (_o, new) in changes.items()},
                            version=pp.version, user=user)  # fmt: skip
        except ValidationError as exc:
            raise ValidationError([f"{where} {m}" for m in exc.messages]) from None
    result.written = True


def template_rows():
    return [c.label for c in COLUMNS]
