"""Choices of the ledger (SPEC §2), stored as short codes with Chinese labels."""

from django.db import models

from core.kinds import Kinds


class Role(models.TextChoices):
    REPORTER = "填报员", "填报员"
    REVIEWER = "审核员", "审核员"
    LEADER = "领导", "领导"
    ADMIN = "管理员", "管理员"


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县区"
    TOWN = "town", "乡镇/街道"


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "部门"
    TOWNSHIP = "township", "乡镇"
    PARK = "park", "园区"
    ENTERPRISE = "enterprise", "企业"


class LeaderLevel(models.TextChoices):
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class ProjectLevel(models.TextChoices):
    PROVINCE = "province", "省重点"
    CITY = "city", "市重点"
    COUNTY = "county", "县区重点"


class Category(models.TextChoices):
    INDUSTRY = "industry", "产业"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    SOCIAL = "social", "社会事业"
    URBAN = "urban", "城乡建设"
    ECOLOGY = "ecology", "生态环保"


class Sector(models.TextChoices):
    PRIMARY = "primary", "一产"
    SECONDARY = "secondary", "二产"
    TERTIARY = "tertiary", "三产"


class Nature(models.TextChoices):
    NEW = "new", "新开工"
    CONTINUING = "continuing", "续建"
    PREPARATORY = "preparatory", "前期"
    RESERVE = "reserve", "储备"


class Stage(models.TextChoices):
    RESERVE = "reserve", "储备"
    PREPARATORY = "preparatory", "前期"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "竣工"
    OPERATING = "operating", "投产"
    CAPACITY = "capacity", "达产"


class Pool(models.TextChoices):
    RESERVE = "reserve", "储备"
    LISTED = "listed", "正式"
    ADDED = "added", "增补"
    WITHDRAWN = "withdrawn", "退库"


class TeamRole(models.TextChoices):
    HEAD = "head", "组长"
    DEPUTY = "deputy", "副组长"
    LIAISON = "liaison", "联络员"
    MEMBER = "member", "成员"


class FundingSource(models.TextChoices):
    CENTRAL = "central", "中央预算内"
    PROVINCIAL = "provincial", "省级资金"
    SPECIAL_BOND = "special_bond", "地方专项债"
    POLICY_LOAN = "policy_loan", "政策性银行贷款"
    COMMERCIAL_LOAN = "commercial_loan", "商业贷款"
    PPP = "ppp", "PPP"
    SOCIAL = "social", "社会资本"
    SELF = "self", "自筹"


class LandSupply(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "报批中"
    APPROVED = "approved", "已批复"
    SUPPLIED = "supplied", "已供地"
    NOT_NEEDED = "not_needed", "无需用地"


class RelocationStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "无征迁"
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class ApprovalItem(models.TextChoices):
    PROJECT = "project", "立项"
    FEASIBILITY = "feasibility", "可研批复"
    LAND_PRE = "land_pre", "用地预审"
    PLANNING = "planning", "规划许可"
    ENVIRONMENT = "environment", "环评"
    ENERGY = "energy", "能评"
    CONSTRUCTION = "construction", "施工许可"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "未办理"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    NOT_NEEDED = "not_needed", "不需要"


class DocumentKind(models.TextChoices):
    APPROVAL = "approval", "立项批复"
    LAND = "land", "用地手续"
    ENVIRONMENT = "environment", "环评"
    PLANNING = "planning", "规划许可"
    CONSTRUCTION = "construction", "施工许可"
    OTHER = "other", "其他"


class ImportKind(models.TextChoices):
    """The ledger's own import; other apps register theirs (registry.import_batches)."""

    LEDGER = "ledger", "年度台账"


IMPORT_KINDS = Kinds()
IMPORT_KINDS.register(ImportKind.choices)
# The page where the uploader confirms a previewed batch of another app's kind.
IMPORT_CONFIRM_URLS: dict[str, str] = {}


def register_import_kind(kind, *, confirm_url_name: str) -> None:
    """An app's own import kind: its label, and its confirm page (the uploader confirms)."""
    IMPORT_KINDS.register([(kind.value, kind.label)])
    IMPORT_CONFIRM_URLS[kind.value] = confirm_url_name


def import_kind_choices():
    return IMPORT_KINDS.choices()


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队"
    RUNNING = "running", "处理中"
    PREVIEWED = "previewed", "已预览"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"


class ExportKind(models.TextChoices):
    LEDGER = "ledger", "项目台账"


class YesNo(models.TextChoices):
    YES = "yes", "是"
    NO = "no", "否"
