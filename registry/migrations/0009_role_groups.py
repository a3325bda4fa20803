"""The four role groups of SPEC §1, so that a real install has them without seed_demo.

Pages and the API authorise by group membership (registry/roles.py), so 填报员, 审核员 and
领导 need no model permissions. 管理员 works in the Django admin (with is_staff): it gets
every permission on the ledger, on users and groups, on API tokens and on the lock-out
records (to unlock an account). Other apps grant 管理员 their own models in their own
migrations, so that registry depends on none of them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registry.choices import Role

ADMIN_APPS = ("registry", "axes", "authtoken")
ADMIN_AUTH_MODELS = ("user", "group")


def _ensure_permissions(apps, using, labels):
    # Permissions are normally created after the last migration (post_migrate); a fresh
    # database has none yet at this point.
    for label in labels:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0, using=using)
        config.models_module = None


def create_role_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps, using, ("auth", *ADMIN_APPS))
    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)
    admin = Group.objects.using(using).get(name=Role.ADMIN.value)
    perms = Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_APPS)
    auth_perms = Permission.objects.using(using).filter(
        content_type__app_label="auth", content_type__model__in=ADMIN_AUTH_MODELS
    )
    admin.permissions.add(*perms, *auth_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_plan_land_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "__latest__"),
        ("authtoken", "__latest__"),
    ]

    # Reverse keeps the groups: users may already belong to them.
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
