"""Plans, progress and problems of a project (SPEC §3.2), one module per entity.

Callers import from here (`from milestones.models import ProgressReport`); the modules are
where each model is written. Money is 万元 (Decimal, 2 places).
"""

from milestones.models.letter import SupervisionLetter
from milestones.models.milestone import Milestone
from milestones.models.photos import (
    PHOTO_EXTENSIONS,
    PendingPhoto,
    ReportPhoto,
    photo_path,
    validate_photo,
)
from milestones.models.problem import Problem, problem_overdue
from milestones.models.report import FUND_FIELDS, ProgressReport
from milestones.models.suspension import ProjectSuspension
from milestones.models.window import ReportingWindow, default_deadline

__all__ = [
    "FUND_FIELDS",
    "PHOTO_EXTENSIONS",
    "Milestone",
    "PendingPhoto",
    "Problem",
    "ProgressReport",
    "ProjectSuspension",
    "ReportPhoto",
    "ReportingWindow",
    "SupervisionLetter",
    "default_deadline",
    "photo_path",
    "problem_overdue",
    "validate_photo",
]
