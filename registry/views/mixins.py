"""Role checks shared by every view: an unknown role gets 403, an out-of-scope object 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied
from django_filters.views import FilterView

from core.periods import PeriodError, query_year
from registry import years
from registry.filter_fields import filtered, outside_labels
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


def year_asked(params, default=None) -> int:
    """The `year=` of `params` (request.GET, or a form's POST) through the one period parser:
    `default()` when none is given (the default period's year unless the page says), a bad
    one a 400 with its Chinese message."""
    try:
        return query_year(params, default or years.default_year)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None


def querystring(request, drop=("page",)):
    """The current GET query without `drop` keys, for pagination and export links."""
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


class ScopedFilterView(RoleRequiredMixin, FilterView):
    """A filtered, paginated list: the FilterSet gets the user (to scope its choices) and
    the template gets `querystring` and `total_count`. Subclasses scope `get_queryset`."""

    def get_filterset(self, filterset_class):
        # A malformed parameter is a 400 with its Chinese message (registry.filter_fields),
        # as on the export and the API, not FilterView's silently empty list.
        filterset = super().get_filterset(filterset_class)
        filtered(filterset)
        for label in outside_labels(filterset):
            messages.warning(self.request, f"所选{label}不存在或不在您的范围内，列表为空")
        return filterset

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["querystring"] = querystring(self.request)
        ctx["total_count"] = ctx["paginator"].count if ctx.get("paginator") else 0
        return ctx
