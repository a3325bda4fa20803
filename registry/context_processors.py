"""Navigation by role for base.html."""

from registry.roles import role_of


def navigation(request):
    role = role_of(request.user)
    unread = 0
    if getattr(request.user, "is_authenticated", False):
        from registry.notices import unread_count

        unread = unread_count(request.user)
    return {
        "current_role": role,
        "current_role_label": role.label if role else "",
        "unread_notices": unread,
    }
