"""管理员 may manage this app's records in the Django admin (see registry 0009_role_groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registry.choices import Role


def grant_admin(apps, schema_editor):
    using = schema_editor.connection.alias
    config = apps.get_app_config("milestones")
    # Permissions are normally created after the last migration; a fresh database has none.
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0, using=using)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.using(using).get_or_create(name=Role.ADMIN.value)
    admin.permissions.add(
        *Permission.objects.using(using).filter(content_type__app_label="milestones")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0005_problem_measures"),
        ("registry", "0009_role_groups"),
    ]

    operations = [migrations.RunPython(grant_admin, migrations.RunPython.noop)]
