"""Rule sets: listed for reviewers, edited by city reviewers and admins (SPEC §3.3)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from assessments.forms import RuleSetForm
from assessments.models import RuleSet
from registry.choices import Role
from registry.scoping import is_city_level
from registry.views.mixins import role_required


def can_edit_rules(user) -> bool:
    """Admins, and reviewers of the city DRC (a county reviewer may not change the city's
    rules): the one whole-city rule of registry/scoping.py."""
    return is_city_level(user)


@require_GET
@role_required(Role.REVIEWER, Role.ADMIN)
def rule_list(request):
    return render(
        request,
        "assessments/rule_list.html",
        {"rule_sets": RuleSet.objects.all(), "can_edit": can_edit_rules(request.user)},
    )


@role_required(Role.REVIEWER, Role.ADMIN)
def rule_edit(request, pk=None):
    if not can_edit_rules(request.user):
        raise PermissionDenied("只有市发改委审核员和管理员可以修改考核规则")
    rule_set = get_object_or_404(RuleSet, pk=pk) if pk else None
    form = RuleSetForm(request.POST or None, instance=rule_set)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "考核规则已保存，下次评价（assess）起按新规则计算")
        return redirect("assessments:rule_list")
    return render(request, "assessments/rule_form.html", {"form": form, "rule_set": rule_set})


@role_required(Role.REVIEWER, Role.ADMIN)
def rule_create(request):
    return rule_edit(request)
