"""两函一单 beyond issuing and replying: the default reply deadline, the
preview before a letter is issued, and withdrawing (作废) one with a reason."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from milestones.choices import LetterStatus
from milestones.models import Problem, SupervisionLetter
from registry.models import Region, Unit
from registry.scoping import filter_units, scope_queryset
from registry.services import check_version

DEFAULT_DAYS = 10  # a letter not about a problem (or about an overdue one) asks within 10 days
MIN_DAYS = 3  # never less than this from today


def letter_recipients(user):
    """The units a letter may be addressed to (主送单位): those the user may filter by (their
    region's, and those responsible for their projects), and those responsible for a problem
    the user sees (a county project's problem may be a city unit's)."""
    problems = scope_queryset(user, Problem.objects.all()).values("responsible_unit_id")
    return Unit.objects.filter(
        Q(pk__in=filter_units(user).values("pk")) | Q(pk__in=problems)
    ).select_related("region")


def issuing_authority() -> str:
    """The letterhead and signature of 两函一单. Letters are numbered city-wide (发改督〔年〕N号),
    so they are the city DRC's: LETTER_AUTHORITY when set, else named after the top region
    of this installation's ledger (another city's data gives that city's name)."""
    if settings.LETTER_AUTHORITY:
        return settings.LETTER_AUTHORITY
    city = (
        Region.objects.filter(parent__isnull=True).order_by("code").values_list("name", flat=True)
    ).first()
    return f"{city}发展和改革委员会" if city else "发展和改革委员会"


def default_reply_deadline(problem: Problem | None, today: datetime.date | None = None):
    """The reply deadline a new letter offers: the problem's own deadline when it is still
    ahead (the letter asks for the problem to be solved by then), else ten days."""
    today = today or timezone.localdate()
    if (
        problem is not None
        and problem.deadline
        and problem.deadline >= today + datetime.timedelta(days=MIN_DAYS)
    ):
        return problem.deadline
    return today + datetime.timedelta(days=DEFAULT_DAYS)


@transaction.atomic
def letter_withdraw(*, letter: SupervisionLetter, reason: str, version: int | None, user):
    """作废: the letter stays on file (number, text, history) marked withdrawn with why; it
    no longer waits for a reply and cannot be replied to."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写作废原因（将记入变更记录）"})
    if version is None:
        raise ValidationError("表单缺少版本号，请刷新页面后重试")
    new_version = check_version(SupervisionLetter.objects, pk=letter.pk, version=version)
    letter = SupervisionLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == LetterStatus.WITHDRAWN:
        raise ValidationError("该函件已作废")
    letter.status = LetterStatus.WITHDRAWN
    letter.withdrawn_reason = reason[:200]
    letter.withdrawn_by = user
    letter.withdrawn_at = timezone.now()
    letter.version = new_version
    letter.validate_constraints()
    letter._history_user = user
    letter._change_reason = f"作废：{reason}"
    letter.save()
    return letter
