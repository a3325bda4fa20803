"""Money and rate formatting for templates (万元, 亿元, %)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _dec(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def wan(value):
    """1234567.8 → "1,234,567.80" (万元)."""
    d = _dec(value)
    if d is None:
        return "—"
    return f"{d.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


@register.filter
def yi(value):
    """万元 → 亿元 with one decimal place, as DRC bulletins print it."""
    d = _dec(value)
    if d is None:
        return "—"
    return f"{(d / 10000).quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


@register.filter
def pct(value, places=1):
    d = _dec(value)
    if d is None:
        return "—"
    q = Decimal(1).scaleb(-int(places))
    return f"{d.quantize(q, ROUND_HALF_UP)}%"


@register.filter
def ratio(part, whole):
    """part / whole as a percentage Decimal, None when whole is 0."""
    p, w = _dec(part), _dec(whole)
    if p is None or not w:
        return None
    return p * 100 / w


@register.filter
def with_errors(bound_field):
    """Render a bound field, marking it `is-invalid` for Bootstrap when it has errors."""
    if not bound_field.errors:
        return bound_field.as_widget()
    css = bound_field.field.widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{css} is-invalid".strip()})


@register.filter
def abs_pct(value, places=1):
    """|value| with `places` decimals, for "超过/低于 N 个百分点"."""
    d = _dec(value)
    if d is None:
        return "—"
    return f"{abs(d).quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)}"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ("" when missing)."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
