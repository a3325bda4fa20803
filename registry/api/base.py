"""What every viewset of the API shares: role permissions, scoped filters, Chinese errors.

Scoping is never decided here: each viewset's `get_queryset` calls registry/scoping.py (or a
selector built on it), exactly like the pages, so an object out of scope is a 404.
"""

import inspect
from collections.abc import Mapping

from django.core.exceptions import BadRequest
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.cache import CachedPagePaginator
from registry.choices import Role
from registry.roles import has_role
from registry.services import StaleEditError

ALL_ROLES = tuple(Role)


class RolePermission(permissions.BasePermission):
    """Reads need one of `read_roles`; each write action the roles named in `write_roles`.

    `write_roles` maps an action name ("create", "partial_update", "approve" …) to roles;
    an action it does not name is refused (403) — a new action must be given its roles.
    """

    message = "您没有执行此操作的权限"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return has_role(user, *getattr(view, "read_roles", ALL_ROLES))
        # Plain APIViews have no `action`: a write to them is refused like an unnamed action.
        roles = getattr(view, "write_roles", {}).get(getattr(view, "action", None), ())
        return bool(roles) and has_role(user, *roles)


class ScopedFilterBackend(DjangoFilterBackend):
    """The pages' FilterSets take the user so that their choices stay inside the scope
    (FilterSets generated from `filterset_fields` take no user and get none)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return kwargs


class Pagination(PageNumberPagination):
    """20 rows a page; `page_size` up to 500 for dashboards that want more."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 500


class CachedPagePagination(Pagination):
    """Pagination whose total and page membership come from the figure cache
    (core.cache.CachedPagePaginator), for lists whose every change moves the generation."""

    django_paginator_class = CachedPagePaginator


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"
    default_detail = "该记录已被他人修改，请刷新后再保存"


def _messages(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    """Service errors become the same Chinese messages the forms show: a stale version is
    409 Conflict, any other rule a service refuses is 400."""
    if isinstance(exc, StaleEditError):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(_messages(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, BadRequest):  # a refused query parameter, as the pages refuse it
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class RejectUnwritableFieldsMixin:
    """For every serializer that writes: a field the request names but this serializer does
    not write (read-only, computed, or unknown) is a 400 naming it in Chinese — never a 200
    that silently ignored part of what the client asked for."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            refused = [key for key in data if key not in writable]
            if refused:
                raise ValidationError({key: [self._refused_message(key)] for key in refused})
        return super().to_internal_value(data)

    def _refused_message(self, key) -> str:
        label = self._label(key)
        named = f"“{label}”（{key}）" if label != key else f"“{key}”"
        return f"{named}不能通过此接口修改（只读或不存在的字段），请去掉该字段后重试"

    def _label(self, key) -> str:
        field = self.fields.get(key)
        if field is not None and field.label:
            return str(field.label)
        model = getattr(getattr(self, "Meta", None), "model", None)
        try:
            return str(model._meta.get_field(key).verbose_name) if model else key
        except Exception:  # not a model field either
            return key
