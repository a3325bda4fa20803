"""Navigation by role for base.html: the role, the badges (unread notices, 停复工 requests
waiting for a reviewer) and the year selector's choices. Counted lazily: a page that shows
no badge or selector spends no query on it."""

from django.utils.functional import SimpleLazyObject

from core.notices import unread_count
from milestones.selectors import pending_suspension_count
from registry.roles import role_of
from registry.scoping import is_city_level
from registry.years import year_choices


def navigation(request):
    role = role_of(request.user)
    unread = 0
    city_level = False
    user = request.user
    if getattr(user, "is_authenticated", False):
        unread = unread_count(user)
        # Only the reviewers' menu asks.
        city_level = SimpleLazyObject(lambda: is_city_level(user))
    return {
        "current_role": role,
        "current_role_label": role.label if role else "",
        "unread_notices": unread,
        "city_level": city_level,
        "year_options": SimpleLazyObject(year_choices),
        "pending_suspensions": SimpleLazyObject(lambda: pending_suspension_count(user=user)),
    }
