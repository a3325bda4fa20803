"""两函一单: reviewers issue 提醒函/交办函/督办函; the responsible side replies; printable."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from milestones import selectors, services
from milestones.choices import LetterKind
from milestones.filtersets import SupervisionLetterFilterSet
from milestones.forms import LetterForm, LetterReplyForm
from milestones.letters import default_reply_deadline, issuing_authority
from milestones.letters import letter_withdraw as letter_withdraw_service
from milestones.views.common import apply_errors
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import visible_projects
from registry.views.mixins import ScopedFilterView, role_required

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
WORKERS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)


class LetterListView(ScopedFilterView):
    allowed_roles = WORKERS
    filterset_class = SupervisionLetterFilterSet
    template_name = "milestones/letter_list.html"
    paginate_by = 50
    context_object_name = "letters"

    def get_queryset(self):
        return selectors.letters_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_issue"] = has_role(self.request.user, *REVIEWERS)
        return ctx


@role_required(*REVIEWERS)
def letter_create(request):
    """GET: the form. POST: 预览 first (the letter as it will read); only 确认签发 issues it."""
    user = request.user
    if request.method == "POST":
        form = LetterForm(request.POST, user=user)
        action = request.POST.get("action", "preview")
        if form.is_valid() and action == "preview":
            return _preview(request, form)
        if form.is_valid() and action == "issue":
            d = form.cleaned_data
            try:
                letter = services.letter_issue(
                    kind=d["kind"],
                    project=d["project"],
                    problem=d.get("problem"),
                    recipient=d.get("recipient"),
                    body=d["body"],
                    reply_deadline=d["reply_deadline"],
                    user=user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{letter.get_kind_display()}已发出：{letter.number}")
                return redirect("milestones:letter_detail", pk=letter.pk)
    else:
        initial = {"reply_deadline": default_reply_deadline(None)}
        problem_id, project_id = request.GET.get("problem"), request.GET.get("project")
        if problem_id:
            if not problem_id.isdigit():
                raise Http404
            problem = get_object_or_404(selectors.problems_for(user=user), pk=problem_id)
            initial.update(
                problem=problem,
                project=problem.project,
                recipient=problem.responsible_unit or problem.project.unit,
                kind="supervision" if problem.is_supervised else "reminder",
                reply_deadline=default_reply_deadline(problem),
                body=f"关于“{problem.project.name}”存在的{problem.get_category_display()}问题："
                f"{problem.description}\n请高度重视，抓紧协调解决。",  # the deadline line is in the layout
            )
        elif project_id:
            if not project_id.isdigit():
                raise Http404
            project = get_object_or_404(visible_projects(user), pk=project_id)
            initial.update(project=project, recipient=project.unit)
        form = LetterForm(initial=initial, user=user)
    return render(request, "milestones/letter_form.html", {"form": form})


def _preview(request, form):
    d = form.cleaned_data
    project = d["project"]
    recipient = d.get("recipient") or (
        d["problem"].responsible_unit
        if d.get("problem") and d["problem"].responsible_unit_id
        else project.unit
    )
    kind_label = dict(LetterKind.choices)[d["kind"]]
    number = services.next_letter_number(kind=d["kind"], year=timezone.localdate().year)
    return render(
        request,
        "milestones/letter_preview.html",
        {"form": form, "d": d, "recipient": recipient, "kind_label": kind_label,
         "number": number, "today": timezone.localdate(), "authority": issuing_authority()},
    )  # fmt: skip


@require_POST
@role_required(*REVIEWERS)
def letter_withdraw(request, pk):
    letter = get_object_or_404(selectors.letters_for(user=request.user), pk=pk)
    version = request.POST.get("version", "")
    try:
        letter_withdraw_service(
            letter=letter,
            reason=request.POST.get("reason", ""),
            version=int(version) if version.isdigit() else None,
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{letter.get_kind_display()}{letter.number}已作废")
    return redirect("milestones:letter_detail", pk=pk)


@role_required(*WORKERS)
def letter_detail(request, pk):
    letter = get_object_or_404(selectors.letters_for(user=request.user), pk=pk)
    can_reply = has_role(request.user, Role.REPORTER, Role.ADMIN) and letter.status == "issued"
    return render(
        request,
        "milestones/letter_detail.html",
        {
            "letter": letter,
            "can_reply": can_reply,
            "reply_form": LetterReplyForm(initial={"version": letter.version}),
            "can_withdraw": has_role(request.user, *REVIEWERS) and letter.status != "withdrawn",
            "history": selectors.object_history(letter),
            "authority": issuing_authority(),
        },
    )


@require_POST
@role_required(Role.REPORTER, Role.ADMIN)
def letter_reply(request, pk):
    letter = get_object_or_404(selectors.letters_for(user=request.user), pk=pk)
    form = LetterReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写回复内容")
        return redirect("milestones:letter_detail", pk=pk)
    try:
        services.letter_reply(
            letter=letter,
            reply=form.cleaned_data["reply"],
            version=form.cleaned_data.get("version"),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "回复已提交")
    return redirect("milestones:letter_detail", pk=pk)
