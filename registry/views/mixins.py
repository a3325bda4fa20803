"""Role checks shared by every view: an unknown role gets 403, an out-of-scope object 404."""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from registry.roles import has_role


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based views declare `allowed_roles`; empty means any of the four roles."""

    allowed_roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check_roles(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


def check_roles(user, roles):
    from registry.choices import Role

    roles = roles or tuple(Role)
    if not has_role(user, *roles):
        raise PermissionDenied("您没有访问此页面的权限")


def role_required(*roles):
    """Decorator for function views; implies login."""
    from django.contrib.auth.decorators import login_required

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            check_roles(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
