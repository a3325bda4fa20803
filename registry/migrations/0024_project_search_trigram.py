"""Trigram indexes for the ledger's keyword search (registry/models/search.py).

PostgreSQL only: pg_trgm and GIN do not exist on SQLite, where the index operations change
the migration state (so the models and migrations agree) and create nothing.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex that creates (and drops) the index on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtensionOnPostgres(TrigramExtension):
    """Django's backwards step asks pg_extension whatever the database; SQLite has none."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("registry", "0023_region_level_province")]

    operations = [
        TrigramExtensionOnPostgres(),
        *(
            AddIndexOnPostgres(
                model_name="project",
                index=GinIndex(
                    OpClass(Upper(f), name="gin_trgm_ops"),
                    name=f"project_{f}_trgm",
                ),
            )
            for f in ("name", "code", "owner", "scope")
        ),
    ]
