"""What a new ledger row must satisfy, whichever way it comes in: a row of the ledger import
(registry.ledger_rows) or the web form 新增项目 (registry.project_create). One copy of each
rule and of its Chinese message; the two callers only say where (a sheet row, a form field).
"""

# Columns a project must have; a new one may come without LATER (the published plan has no
# 责任单位, often no 产业类别): it is created 待完善 (registry.selectors.incomplete_projects).
REQUIRED = ("name", "level", "region", "unit", "nature", "category", "sector")
LATER = ("unit", "sector")
MSG_REQUIRED_NEW = "新项目必须填写"


def missing_for_new(values: dict, *, later=LATER) -> list[str]:
    """Keys of REQUIRED that a new project's `values` leave blank (`later` excepted)."""
    return [k for k in REQUIRED if k not in later and not values.get(k)]


def dates_error(start, finish) -> str | None:
    """计划竣工时间 before 计划开工时间: the message for the 计划竣工时间 column or field."""
    if start and finish and finish < start:
        return f"早于计划开工时间（{start.isoformat()}）"
    return None


def name_region_key(name, region_id) -> tuple:
    """Two rows are the same project when name and region are (SPEC §4.3: rows match on
    项目编号, else on 项目名称 + 所属地区)."""
    return ((name or "").strip(), region_id)


def same_project_message(other: str) -> str:
    return f"与{other}是同一个项目（名称和地区相同）"


def code_taken_message(code: str, *, deleted=False) -> str:
    if deleted:
        return f"“{code}”属于已删除的项目，不能再导入"
    return f"“{code}”已被其他项目使用"


def region_out_of_scope_message(region_name: str) -> str:
    return f"“{region_name}”不在您的管理范围内"
