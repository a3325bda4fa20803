from registry.models.factors import (
    MONTH_FIELDS,
    AnnualPlan,
    Approval,
    Document,
    Funding,
    Land,
    Relocation,
)
from registry.models.imports import ImportBatch
from registry.models.organisation import Leader, Profile, Program, Region, Unit
from registry.models.project import ContractAssignment, Project, WorkTeamMember
from registry.models.years import ListYear

__all__ = [
    "MONTH_FIELDS",
    "AnnualPlan",
    "Approval",
    "ContractAssignment",
    "Document",
    "Funding",
    "ImportBatch",
    "Land",
    "Leader",
    "ListYear",
    "Profile",
    "Program",
    "Project",
    "Region",
    "Relocation",
    "Unit",
    "WorkTeamMember",
]
