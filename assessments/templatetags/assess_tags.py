"""Small template helpers of the judgement pages."""

import datetime
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def is_number(value):
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


@register.filter
def is_date(value):
    return isinstance(value, datetime.date)
