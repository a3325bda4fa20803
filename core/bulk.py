"""Prepared multi-row INSERTs for seeding and imports, where model instances would be waste.

Django's bulk_create spends most of its time compiling one multi-row INSERT per ~20 rows
(SQLite's 999-parameter cap) and preparing every value through each field. Rows here are
already validated, so they go in through COPY (PostgreSQL) or one prepared INSERT and
executemany (SQLite); only values that need adapting (datetimes on SQLite, JSON) pass
through the field.
No signals and no history: callers write history rows with `insert_history`.
"""

import functools
import json
import operator

from django.db import connections, models, router, transaction
from django.utils import timezone

from core.signals import rows_written


def _converter(field, connection):
    """Only values the driver cannot take as they are go through the field.

    Decimal, date, str, int and bool are adapted by both drivers (Django registers the
    SQLite adapters); aware datetimes must become the backend's format, JSON must be dumped.
    """
    if isinstance(field, models.DateTimeField):
        # Seeds and imports repeat the same few timestamps: adapt each once.
        adapt = functools.lru_cache(maxsize=65536)(connection.ops.adapt_datetimefield_value)
        return lambda value: adapt(value) if value is not None else None
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, fields, rows):
    """INSERT rows (tuples of Python values in `fields` order): COPY on PostgreSQL,
    prepared executemany elsewhere (SQLite)."""
    connection = connections[router.db_for_write(model)]
    rows_written.send(sender=model)  # receivers act on commit, after these rows are in
    if connection.vendor == "postgresql":
        return _copy_rows(connection, model, fields, rows)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    convert = [_converter(f, connection) for f in fields]
    plain = all(c is None for c in convert)
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                tuple(row)
                if plain
                else tuple(v if c is None else c(v) for v, c in zip(row, convert, strict=True))
            )
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _copy_rows(connection, model, fields, rows):
    """COPY … FROM STDIN: under psycopg 3 executemany is one INSERT round trip per row,
    COPY streams every row in one statement (with per-row INSERTs a 10k-row import took 4.8 s).
    psycopg adapts Decimal, date, aware datetime, str, int and bool itself; JSON values are
    dumped by the field, as for INSERT."""
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    # Only the JSON columns are touched per row (a list comprehension over every value of
    # ~1M rows cost seconds in the demo seed).
    json_columns = [
        (i, _json_dumper(f, connection))
        for i, f in enumerate(fields)
        if isinstance(f, models.JSONField)
    ]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        if json_columns:
            for row in rows:
                row = list(row)
                for i, dump in json_columns:
                    if row[i] is not None:
                        row[i] = dump(row[i])
                copy.write_row(row)
        else:
            for row in rows:
                copy.write_row(row)


def _json_dumper(field, connection):
    """The JSON text of a value, as the field would send it.

    A plain JSONField sends json.dumps(value, cls=encoder); COPY's text format takes that
    string as it is, without the Jsonb wrapper built per value. Empty objects and lists (most
    rows of a seed: 260,000 reports with no milestone update) skip the encoder. Subclasses
    go through the field."""
    if type(field) is models.JSONField:
        dumps = functools.partial(json.dumps, cls=field.encoder)
        return lambda value: (
            _EMPTY_JSON.get(type(value), dumps)(value) if not value else dumps(value)
        )
    return lambda value: field.get_db_prep_save(value, connection)


_EMPTY_JSON = {dict: lambda _v: "{}", list: lambda _v: "[]"}


def analyze(*model_classes):
    """Refresh the planner's statistics after a bulk load (PostgreSQL only).

    Servers run with autovacuum off or lagging leave freshly loaded tables without
    statistics, and the first list query then picks a plan 100× slower.
    Runs after the surrounding transaction commits (at once in autocommit)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in model_classes]
    transaction.on_commit(lambda: _analyze_tables(connection, tables))


def _analyze_tables(connection, tables):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {qn(table)}")


def insert_objects(model, objs, now):
    """Insert unsaved instances (primary keys are not read back)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
            elif f.is_relation and getattr(obj, f.attname) is None:
                # An FK to an instance saved after it was assigned (project → plan).
                related = getattr(obj, f.name, None)
                if related is not None:
                    setattr(obj, f.attname, related.pk)
    insert_rows(model, fields, ([getattr(o, f.attname) for f in fields] for o in objs))


def read_back_pks(model, objs, key):
    """Set the primary keys of rows inserted by insert_objects, matched on a unique key
    (field attnames; the first one is filtered on in chunks of 900)."""
    by_key = {tuple(getattr(o, a) for a in key): o for o in objs}
    firsts = sorted({k[0] for k in by_key})
    for i in range(0, len(firsts), 900):
        rows = model.objects.filter(**{f"{key[0]}__in": firsts[i : i + 900]}).values_list(
            "pk", *key
        )
        for pk, *values in rows:
            obj = by_key.get(tuple(values))
            if obj is not None:
                obj.pk = pk
                obj._state.adding = False


def insert_history(model, objs, *, user, reason, now, history_type="+"):
    """The rows simple-history's bulk_history_create would write, without building models.

    `objs` must carry their primary keys (see registry.project_bulk and read_back_pks).
    """
    historical = model.history.model
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    extra = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    insert_rows(
        historical,
        fields,
        (
            [extra[f.attname] if f.attname in extra else getattr(o, f.attname) for f in fields]
            for o in objs
        ),
    )


def insert_baselines(model, pks, *, reason, now):
    """A "created" record of the row as it stands, for those of `pks` with no history yet.

    Rows bulk-inserted without history (rows older than their audit) would otherwise show
    their first change with nothing to compare it with. Call before the update.
    """
    pks = list(pks)
    for i in range(0, len(pks), 900):
        rows = model.objects.filter(pk__in=pks[i : i + 900]).exclude(
            pk__in=model.history.values("id")
        )
        insert_history_from(rows, reason=reason, now=now)


def fast_insert(model, rows):
    """Insert dict rows (attname → value); missing keys take the field default.

    `rows` is a list or any iterable: a generator streams into the COPY, so 200,000 rows
    need not be in memory at once. Such a generator must not query the database: on
    PostgreSQL the COPY holds the connection, and a query from inside it waits forever.
    Returns the number of rows."""
    if isinstance(rows, list | tuple) and not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    # One C-level merge and lookup per row instead of a .get per field (≈1M rows in the demo).
    attnames = [f.attname for f in fields]
    values = operator.itemgetter(*attnames) if len(attnames) > 1 else lambda r: (r[attnames[0]],)
    count = 0

    def tuples():
        nonlocal count
        for row in rows:
            count += 1
            yield values(defaults | row)

    insert_rows(model, fields, tuples())
    return count


def insert_history_from(queryset, *, reason, now, user=None, history_type="+"):
    """Write one history row per row of `queryset`, as it is now, with one INSERT … SELECT.

    For rows written with `fast_insert` (no model saves, so no simple-history rows): without
    a first "created" row, the first real edit has nothing to be compared with and shows no
    change. The database copies the rows itself, so 200,000 reports cost one statement.
    """
    model = queryset.model
    history = model.history.model
    connection = connections[router.db_for_write(history)]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    extra = {
        "history_date": connection.ops.adapt_datetimefield_value(now),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    columns, selects, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        columns.append(qn(field.column))
        if field.attname not in extra:
            selects.append(f"{table}.{qn(source[field.attname])}")
        elif extra[field.attname] is None:
            selects.append("NULL")
        elif connection.vendor == "postgresql":
            # Constants in a SELECT list are text to PostgreSQL unless cast.
            selects.append(f"CAST(%s AS {field.db_type(connection)})")
            params.append(extra[field.attname])
        else:
            selects.append("%s")
            params.append(extra[field.attname])
    inner, inner_params = queryset.values("pk").query.sql_with_params()
    sql = "INSERT INTO {} ({}) SELECT {} FROM {} WHERE {}.{} IN ({})".format(
        qn(history._meta.db_table),
        ", ".join(columns),
        ", ".join(selects),
        table,
        table,
        qn(model._meta.pk.column),
        inner,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        return cursor.rowcount
