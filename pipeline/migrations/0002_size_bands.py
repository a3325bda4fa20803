from decimal import Decimal

from django.db import migrations

# SPEC §3.9: ≥100亿, ≥50亿, ≥10亿, ≥5亿, ≥1亿, <1亿 (in 万元); editable in the admin.
BANDS = [
    ("100亿元以上", Decimal("1000000")),
    ("50亿—100亿元", Decimal("500000")),
    ("10亿—50亿元", Decimal("100000")),
    ("5亿—10亿元", Decimal("50000")),
    ("1亿—5亿元", Decimal("10000")),
    ("1亿元以下", Decimal("0")),
]


def add_bands(apps, schema_editor):
    SizeBand = apps.get_model("pipeline", "SizeBand")
    for label, amount in BANDS:
        SizeBand.objects.get_or_create(min_amount=amount, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(add_bands, migrations.RunPython.noop)]
