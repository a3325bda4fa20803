"""ExportJob and Notice now belong to core (core/migrations/0001): state only, the tables
stay. Import kinds are registered by the apps that own them."""

import registry.choices
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0021_document_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ExportJob"),
                migrations.DeleteModel(name="Notice"),
            ],
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="kind",
            field=models.CharField(
                choices=registry.choices.import_kind_choices,
                max_length=20,
                verbose_name="导入类型",
            ),
        ),
    ]
