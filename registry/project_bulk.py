"""New projects written with COPY (seed and ledger import): ids read back by code."""

from core.bulk import insert_history, insert_rows
from registry.models import Project


def insert_projects(projects, now):
    """Insert new projects and read their ids back by code (chunked, one query per 900)."""
    for p in projects:
        p.created_at = p.updated_at = now
        p.region_id = p.region.pk
        p.unit_id = p.unit.pk if p.unit is not None else None  # 待完善: unit to fill in
        p.leader_id = p.leader.pk if p.leader is not None else None
    fields = [f for f in Project._meta.concrete_fields if not f.primary_key]
    insert_rows(Project, fields, ([getattr(p, f.attname) for f in fields] for p in projects))
    by_code = {p.code: p for p in projects}
    codes = list(by_code)
    for i in range(0, len(codes), 900):
        for code, pk in Project.all_objects.filter(code__in=codes[i : i + 900]).values_list(
            "code", "pk"
        ):
            p = by_code[code]
            p.pk = pk
            p._state.adding = False
            p._state.db = "default"


def insert_project_history(projects, *, user, reason, now, history_type="+"):
    insert_history(Project, projects, user=user, reason=reason, now=now, history_type=history_type)
