"""A default rule set (SPEC §3.3 defaults) for the current year, so the engine has one."""

from django.db import migrations
from django.utils import timezone


def create_default(apps, schema_editor):
    RuleSet = apps.get_model("assessments", "RuleSet")
    year = timezone.localdate().year
    if not RuleSet.objects.filter(year=year, is_active=True).exists():
        # Field defaults are the SPEC §3.3 numbers.
        RuleSet.objects.create(year=year, name="默认规则（SPEC §3.3）", is_active=True)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
