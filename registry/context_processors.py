"""Navigation by role for base.html."""

from registry.roles import role_of


def navigation(request):
    role = role_of(request.user)
    return {"current_role": role, "current_role_label": role.label if role else ""}
