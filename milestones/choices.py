"""Choices of the milestones app (SPEC §3.2), short codes with Chinese labels."""

from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    FIRST_APPROVED = "first_approved", "待复审"  # 初审 passed; two review levels only
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"


class MilestoneKind(models.TextChoices):
    START = "start", "开工"
    GROUND_ZERO = "ground_zero", "正负零"
    TOPPING = "topping", "主体封顶"
    EQUIPMENT = "equipment", "设备安装"
    COMPLETION = "completion", "竣工"
    OPERATION = "operation", "投产"
    CAPACITY = "capacity", "达产"
    OTHER = "other", "其他"


class ProblemCategory(models.TextChoices):
    LAND = "land", "土地"
    FUNDING = "funding", "资金"
    RELOCATION = "relocation", "征迁"
    APPROVAL = "approval", "审批"
    ENVIRONMENT = "environment", "环保"
    OTHER = "other", "其他"


class CoordinationLevel(models.TextChoices):
    COUNTY = "county", "县区"
    CITY = "city", "市"
    PROVINCE = "province", "省"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待解决"
    IN_PROGRESS = "in_progress", "推进中"
    RESOLVED = "resolved", "已解决"


class LetterKind(models.TextChoices):
    REMINDER = "reminder", "提醒函"
    ASSIGNMENT = "assignment", "交办函"
    SUPERVISION = "supervision", "督办函"


class LetterStatus(models.TextChoices):
    ISSUED = "issued", "待回复"
    REPLIED = "replied", "已回复"
    WITHDRAWN = "withdrawn", "已作废"  # kept on file with its reason, never deleted


class SuspensionKind(models.TextChoices):
    SUSPEND = "suspend", "停工"
    RESUME = "resume", "复工"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class MilestonesNotice(models.TextChoices):
    """Notices the reporting workflow sends (registered in core.kinds.NOTICE_KINDS)."""

    WINDOW_OPEN = "window_open", "填报开始"
    DEADLINE_NEAR = "deadline_near", "填报截止临近"
    REPORT_RETURNED = "report_returned", "月报被退回"
    PROBLEM_OVERDUE = "problem_overdue", "问题逾期"


class MilestonesExport(models.TextChoices):
    PROBLEMS = "problems", "问题清单"


class MilestonesImport(models.TextChoices):
    PROGRESS = "progress", "月度进度"
