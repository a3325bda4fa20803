"""Navigation by role for base.html."""

from django.utils.functional import SimpleLazyObject

from registry.roles import role_of


def navigation(request):
    role = role_of(request.user)
    unread = 0
    city_level = False
    if getattr(request.user, "is_authenticated", False):
        from core.notices import unread_count
        from registry.scoping import is_city_level

        unread = unread_count(request.user)
        user = request.user
        # Lazy: only the reviewers' menu asks, so other pages spend no query on it.
        city_level = SimpleLazyObject(lambda: is_city_level(user))
    return {
        "current_role": role,
        "current_role_label": role.label if role else "",
        "unread_notices": unread,
        "city_level": city_level,
        # The year selector's choices, read only by pages that show one.
        "year_options": SimpleLazyObject(_year_options),
        # 停复工 requests waiting for a reviewer (the menu badge), counted only when shown.
        "pending_suspensions": SimpleLazyObject(lambda: _pending_suspensions(request.user)),
    }


def _year_options():
    from registry.years import year_choices

    return year_choices()


def _pending_suspensions(user) -> int:
    from milestones.selectors import pending_suspension_count

    return pending_suspension_count(user=user)
