"""Shared model helpers: money fields and timestamps."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

ZERO = Decimal("0.00")


def MoneyField(verbose_name, **kwargs):  # noqa: N802 - reads like a field class
    """Money in 万元, two places, never negative."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("validators", [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, **kwargs)


def AreaField(verbose_name, **kwargs):  # noqa: N802
    """Area in 亩."""
    kwargs.setdefault("max_digits", 12)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("default", ZERO)
    kwargs.setdefault("validators", [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
