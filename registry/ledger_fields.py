"""The ledger's columns as Project fields: which column is stored where, how a blank reads,
and how a value is shown in the preview. Shared by the row checks and the change checks."""

import datetime
from decimal import Decimal

from registry.choices import YesNo
from registry.excel.choices import LEDGER_CHOICES
from registry.excel.headers import LEDGER
from registry.models import Leader, Region, Unit
from registry.project_rules import dates_error

# Ledger columns stored directly on Project, in template order.
PROJECT_FIELDS = {
    "code": "code",  # changes only when an earlier code or name + region matched the row
    "name": "name",
    "level": "level",
    "region": "region_id",
    "unit": "unit_id",
    "leader": "leader_id",
    "nature": "nature",
    "category": "category",
    "sector": "sector",
    "scope": "scope",
    "total_investment": "total_investment",
    "invested_before_year": "invested_before_year",
    "planned_start": "planned_start",
    "planned_finish": "planned_finish",
    "owner": "owner",
    "contact": "contact",
    "phone": "phone",
    "note": "note",
    "stats_registered": "stats_registered",
    "stats_registered_on": "stats_registered_on",
    "stats_code": "stats_code",
}
# 入统 columns: a blank cell means "no change" (statistics lists are kept elsewhere and a
# ledger often leaves them empty), never a deletion.
KEEP_WHEN_BLANK = ("stats_registered", "stats_registered_on", "stats_code")
# Columns whose blank is stored as NULL (dates, money), not as an empty text.
ZERO_WHEN_BLANK = ("total_investment", "invested_before_year")  # money: blank is 0
NULLABLE = ("total_investment", "planned_start", "planned_finish", "stats_registered_on")
CHOICE_KEYS = ("level", "nature", "category", "sector")


def label(key):
    return LEDGER.by_key[key].label


def display(key, value):
    """A value as the preview shows it (choices by label, money to the cent)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in CHOICE_KEYS:
        return str(LEDGER_CHOICES[key].label_of.get(value, value))
    if isinstance(value, (Region, Unit, Leader)):
        return value.name
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def statistics(resolved):
    """是否入统 → a boolean; blank 入统 cells drop out (no change); a 入统时间 implies 是."""
    for key in KEEP_WHEN_BLANK:
        if resolved.get(key) in (None, ""):
            resolved.pop(key, None)
    if "stats_registered" in resolved:
        resolved["stats_registered"] = resolved["stats_registered"] == YesNo.YES
        if not resolved["stats_registered"]:
            resolved["stats_registered_on"] = None  # 否: no registration date either
    if resolved.get("stats_registered_on") and "stats_registered" not in resolved:
        resolved["stats_registered"] = True
    return resolved


def assign(project, resolved):
    """Set the project's fields from a row's resolved values (blanks as the field stores them)."""
    for key, value in resolved.items():
        attr = PROJECT_FIELDS.get(key)
        if attr is None:
            continue
        if attr.endswith("_id"):
            setattr(project, attr[:-3], value)
        elif value is None:
            if key in ZERO_WHEN_BLANK:
                value = Decimal("0.00")
            elif key not in NULLABLE:
                value = ""
            setattr(project, attr, value)
        else:
            setattr(project, attr, value)


def check_dates(project, where):
    err = dates_error(project.planned_start, project.planned_finish)
    return f"{where} 计划竣工时间: {err}" if err else None
