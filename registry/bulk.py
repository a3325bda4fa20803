"""Plain multi-row INSERTs for seeding and imports where model instances would be waste.

`bulk_create` builds a model instance and prepares every value through the field for each
row; for hundreds of thousands of factor rows that dominates the run. Here rows are dicts
of attnames, defaults fill the gaps and the driver adapts the values (Decimal, date).
"""

from django.db import connection
from django.utils import timezone

CHUNK = 5000


def fast_insert(model, rows, *, using=None):
    """Insert dict rows into `model`'s table. No signals, no history: callers handle those."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    attnames = [f.attname for f in fields]
    # Datetimes go through the backend's adapter so SQLite stores them as Django does.
    adapt = {
        f.attname: connection.ops.adapt_datetimefield_value
        for f in fields
        if f.get_internal_type() == "DateTimeField"
    }
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.executemany(sql, [_values(row, attnames, defaults, adapt) for row in chunk])
    return len(rows)


def _values(row, attnames, defaults, adapt):
    out = []
    for a in attnames:
        value = row.get(a, defaults[a])
        if a in adapt and value is not None:
            value = adapt[a](value)
        out.append(value)
    return out
