"""Yearly ledger import (SPEC §4.3): one service for the web, the command and the task.

Shape of a run:
1. read every sheet (core.excel.reader) — file-level problems raise ImportFileError;
2. load all regions, units, leaders, projects, the year's plans and land rows into dicts
   once (no per-row queries);
3. parse and resolve each row, collecting errors as "Sheet1 第12行 总投资(万元): …";
4. a dry run, or any error, stops here and writes nothing;
5. otherwise everything is written in one transaction with bulk operations, history
   included (simple-history's bulk helpers), so re-importing the same file matches every
   row as unchanged and writes nothing at all.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core import jobs
from core.bulk import (
    insert_baselines,
    insert_history,
    insert_objects,
    read_back_pks,
)
from core.excel.reader import ImportFileError, read_workbook
from core.locks import ImportBusyError, lock_import_year
from core.signals import batched_changes, changed
from registry.codes import CodeAllocator, county_id
from registry.excel.headers import LEDGER
from registry.excel.plan_layout import level_from_title
from registry.import_batches import (
    IMPORT_JOB,
    ImportResult,
    batch_apply_result,
    batch_bytes,
    batch_progress,
    batch_run,
)
from registry.ledger_fields import PROJECT_FIELDS, label
from registry.ledger_lookups import Lookups, Run
from registry.ledger_rows import RowChecker
from registry.models import (
    AnnualPlan,
    ContractAssignment,
    ImportBatch,
    Land,
    Leader,
    Project,
    Region,
    Unit,
)
from registry.project_bulk import insert_project_history, insert_projects
from registry.scoping import region_scope_q, visible_projects, visible_regions
from registry.years import check_writable

logger = logging.getLogger(__name__)

BATCH = 1000
BASELINE = "导入前的原值"
MSG_CONFLICT = (
    "导入未完成：与同时进行的其他修改冲突（例如项目编号已被占用），未写入任何数据，"
    "请重新预览后再导入"
)


class LedgerImporter:
    """One import of a ledger workbook: opens and locks the year, has a RowChecker check
    every row, and writes what it collected in one transaction."""

    def __init__(self, *, year=None, create_missing=False, user=None, progress=None, level=None):
        self.year = year
        self.default_level = level  # 项目级别 for rows and titles that do not say
        self.create_missing = create_missing
        self.user = user
        self.progress = progress or (lambda fraction, text="": None)

    def run(self, source, *, file_name="", dry_run=True):
        """Preview; or import in one transaction holding the year's lock (core.locks)."""
        if dry_run:
            return self._run(source, file_name=file_name, dry_run=True)
        try:
            with transaction.atomic():
                return self._run(source, file_name=file_name, dry_run=False)
        except IntegrityError:
            # A write raced with another one (a project code taken meanwhile): all rolled back.
            logger.warning("ledger import %s conflicted", file_name, exc_info=True)
            result = ImportResult(file_name=file_name, dry_run=False, year=self.year)
            result.errors.append(MSG_CONFLICT)
            return result

    def _run(self, source, *, file_name, dry_run):
        result = ImportResult(file_name=file_name, dry_run=dry_run)
        wb = self._open(source, result, dry_run)
        if wb is None:
            return result
        lookups = Lookups(result.year)
        run = Run(result=result, year=result.year, scope=self._scope(), now=timezone.now())
        self.checker = RowChecker(lookups, run, create_missing=self.create_missing)
        self._check_rows(wb, run)
        pending = run.pending
        result.created = {
            "regions": [r.name for r in pending.regions.values()],
            "units": [u.name for u in pending.units.values()],
            "leaders": [ld.name for ld in pending.leaders.values()],
        }
        self._generate_codes(run.codeless_new, run.year, lookups, run.seen_codes, result)
        self.progress(0.7, "检查完成")
        if run.errors or dry_run:
            return result
        with transaction.atomic(), batched_changes():
            self._write(run, file_name)
            # Bulk writes send no save signals: name the projects whose figures moved.
            changed(
                [p.pk for p in (*run.new_projects, *run.changed_projects)]
                + [a.project_id for a in (*run.plan_new, *run.plan_changed)]
            )
        result.applied = True
        self.progress(1.0, "导入完成")
        return result

    def _check_rows(self, wb, run):
        total, done = max(wb.rows_total, 1), 0
        for sheet in wb.sheets:
            if "region" not in sheet.columns:
                run.errors.append(f"{sheet.name}: 缺少必需的列 {label('region')}")
                continue
            sheet_level = self.default_level or level_from_title(sheet.titles)
            for row_no, raw in sheet.rows:
                done += 1
                if done % 500 == 0:
                    self.progress(0.05 + 0.65 * done / total, f"已检查{done}/{total}行")
                self.checker.check(sheet, sheet_level, row_no, raw)
        for sheet in wb.sheets:
            # The raw cells are all checked and converted: let them go before the write
            # phase, which is the import's memory peak (measured on a 50,000-row ledger).
            sheet.rows.clear()

    def _open(self, source, result, dry_run):
        """The workbook, its year checked writable and (for a real run) locked; None with the
        reason in `result.errors` when the run cannot go on."""
        try:
            wb = read_workbook(source, LEDGER)
        except ImportFileError as exc:
            result.errors.append(str(exc))
            return None
        self.progress(0.05, "已读取文件")
        year = self.year or wb.year_hint or timezone.localdate().year
        result.year = year
        try:
            check_writable(year, self.user)
        except ValidationError as exc:
            result.errors.extend(exc.messages)
            return None
        if not dry_run:
            # Before anything is read: a run that waited sees the previous run's result.
            try:
                lock_import_year("ledger_import", year)
            except ImportBusyError as exc:
                result.busy = True
                result.errors.append(str(exc))
                return None
        result.skipped_sheets = wb.skipped
        result.sheets = [
            {"name": s.name, "header_row": s.header_row, "rows": len(s.rows)} for s in wb.sheets
        ]
        result.rows_total = wb.rows_total
        return wb

    # -- one row: parse, match, check scope, then a new project or its changes --------------

    def _scope(self):
        if self.user is None or region_scope_q(self.user) is None:
            return None
        return {
            "regions": set(visible_regions(self.user).values_list("pk", flat=True)),
            "projects": set(
                visible_projects(self.user, Project.all_objects.all()).values_list("pk", flat=True)
            ),
        }

    @staticmethod
    def _generate_codes(projects, year, lk, seen_codes, result):
        """Codes for new rows without one, in the pattern of their county (registry.codes)."""
        if not projects:
            return
        coded = [(c, county_id(p.region_id, lk.regions)) for c, p in lk.by_code.items()]
        coded += [(c, None) for c in seen_codes]
        allocator = CodeAllocator(year, coded)
        codes = {}
        for p in projects:
            region = p.region
            where = region.pk if region.pk is not None else region.parent_id
            p.code = allocator.next(county_id(where, lk.regions))
            codes[id(p)] = p.code
        # Show the codes in the preview too.
        by_name = {(p.name, p.region.name): p.code for p in projects}
        for item in result.new:
            if item["code"] == "（自动生成）":
                item["code"] = (
                    by_name.get((item["name"], item["region"]), item["code"]) + "（自动生成）"
                )

    def _write(self, run: Run, file_name):
        """Write what the run collected (history included); inside the run's transaction."""
        user = self.user if getattr(self.user, "pk", None) else None
        reason = f"台账导入：{file_name}"[:100]
        self._write_names(run.pending)
        self.progress(0.75, "正在写入新项目")
        now = timezone.now()
        if run.new_projects:
            insert_projects(run.new_projects, now)
            insert_project_history(run.new_projects, user=user, reason=reason, now=now)
        self.progress(0.85, "正在写入变更")
        if run.changed_projects:
            fields = sorted(
                {PROJECT_FIELDS[k] for p in run.changed_projects for k in p._import_fields}
                | {"version", "updated_at"}
            )
            bulk_update_with_history(
                run.changed_projects,
                Project,
                fields,
                batch_size=BATCH,
                default_user=user,
                default_change_reason=reason,
            )
        # Plans and land are audited like projects: same user, reason and time.
        self._write_factors(run, user=user, reason=reason, now=now)
        self.progress(0.95, "正在记录包保责任")
        self._contracts(run.contract_changes, user)

    def _write_names(self, pending):
        """Regions, units and leaders the rows named and create_missing lets the run make."""
        if pending.regions:
            self._create_regions(list(pending.regions.values()))
        if pending.units:
            Unit.objects.bulk_create(list(pending.units.values()), batch_size=BATCH)
        if pending.leaders:
            Leader.objects.bulk_create(list(pending.leaders.values()), batch_size=BATCH)

    def _write_factors(self, run: Run, **history):
        """The year's plans and the land rows, new and changed, with their history."""
        now = history["now"]
        if run.plan_new:
            insert_objects(AnnualPlan, run.plan_new, now)
            read_back_pks(AnnualPlan, run.plan_new, ("project_id", "year"))
            insert_history(AnnualPlan, run.plan_new, **history)
        if run.plan_changed:
            pks = [p.pk for p in run.plan_changed]
            insert_baselines(AnnualPlan, pks, reason=BASELINE, now=now)
            self._update_with_history(
                AnnualPlan, run.plan_changed, ["planned_investment", "updated_at"], **history
            )
        if run.land_new:
            insert_objects(Land, run.land_new, now)
            read_back_pks(Land, run.land_new, ("project_id",))
            insert_history(Land, run.land_new, **history)
        if run.land_changed:
            pks = [land.pk for land in run.land_changed]
            insert_baselines(Land, pks, reason=BASELINE, now=now)
            self._update_with_history(Land, run.land_changed, ["required_area"], **history)

    @staticmethod
    def _update_with_history(model, objs, fields, *, user, reason, now):
        bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )

    def _create_regions(self, regions):
        used = set(Region.objects.values_list("code", flat=True))
        for region in regions:
            parent = region.parent
            base = parent.code[:4]
            code = next(
                (f"{base}{n:02d}" for n in range(99, 0, -1) if f"{base}{n:02d}" not in used), None
            )
            if code is None:
                code = next(
                    f"{parent.code[:6]}{n:03d}"
                    for n in range(999, 0, -1)
                    if f"{parent.code[:6]}{n:03d}" not in used
                )
            used.add(code)
            region.code = code
            region.path = f"{parent.path}{code}/"
        Region.objects.bulk_create(regions, batch_size=BATCH)

    @staticmethod
    def _contracts(projects, user):
        """五个一 history: close the open record and open one for the new leader/unit."""
        if not projects:
            return
        today = timezone.localdate()
        # Only projects that existed before this import can have an open record.
        ids = [p.pk for p in projects if hasattr(p, "_import_fields")]
        for i in range(0, len(ids), BATCH):
            open_rows = ContractAssignment.objects.filter(
                project_id__in=ids[i : i + BATCH], end_on__isnull=True
            )
            open_rows.filter(start_on__lte=today).update(end_on=today)
            # A record starting in the future ends where it starts (end ≥ start holds).
            open_rows.filter(start_on__gt=today).update(end_on=F("start_on"))
        insert_objects(
            ContractAssignment,
            [
                ContractAssignment(
                    project_id=p.pk,
                    leader_id=p.leader_id,
                    unit_id=p.unit_id,
                    start_on=today,
                    changed_by_id=user.pk if user is not None else None,
                    reason="台账导入",
                )
                for p in projects
                # 待完善 (no unit yet): contracting starts when the reviewer names the unit.
                if p.unit_id is not None
            ],
            timezone.now(),
        )


def ledger_import(
    source,
    *,
    file_name="",
    year=None,
    dry_run=True,
    create_missing=False,
    user=None,
    progress=None,
    level=None,
):
    """Import (or preview) a ledger workbook. Returns ImportResult; writes only when clean."""
    importer = LedgerImporter(
        year=year, create_missing=create_missing, user=user, progress=progress, level=level
    )
    return importer.run(source, file_name=file_name, dry_run=dry_run)


def ledger_import_batch(*, batch_id, task_id=""):
    """Run a queued ImportBatch (preview or real import); the task calls this.

    A batch already finished, or built by a live worker, is returned as it is: a duplicate
    message never imports twice (core.jobs.claim). The import is one transaction, so a
    worker killed mid-import wrote nothing and the batch can simply run again."""
    claimed = jobs.claim(IMPORT_JOB, batch_id, task_id, progress=1)
    batch = ImportBatch.objects.select_related("created_by", "confirmed_by").get(pk=batch_id)
    if not claimed:
        return batch

    def run():
        return ledger_import(
            batch_bytes(batch),
            file_name=batch.file_name,
            year=batch.year,
            dry_run=batch.dry_run,
            create_missing=batch.create_missing,
            level=batch.default_level or None,
            # The real import runs as whoever confirmed it: their scope is checked row by row
            # again, and the history names them.
            user=batch.created_by if batch.dry_run else (batch.confirmed_by or batch.created_by),
            progress=batch_progress(batch),
        )

    batch_run(batch, run, record=batch_apply_result)
    return batch
