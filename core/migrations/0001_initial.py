"""ExportJob and Notice moved here from registry: the tables keep their names and rows.

Only Django's picture of the models moves (state operations); the content types are
renamed so admin history and permissions stay attached."""

import core.files
import core.kinds
import core.models.exports
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("exportjob", "notice"):
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="registry", model=model).update(app_label="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0021_document_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ExportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=core.kinds.export_kind_choices, max_length=20, verbose_name='导出类型')),
                    ('params', models.TextField(blank=True, verbose_name='筛选条件')),
                    ('status', models.CharField(choices=[('queued', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='queued', max_length=20, verbose_name='状态')),
                    ('rows_total', models.PositiveIntegerField(default=0, verbose_name='总行数')),
                    ('rows_done', models.PositiveIntegerField(default=0, verbose_name='已生成行数')),
                    ('error', models.TextField(blank=True, verbose_name='错误信息')),
                    ('file', core.files.PrivateFileField(blank=True, download_view='portal:export_file', upload_to=core.models.exports.export_path, verbose_name='文件')),
                    ('file_name', models.CharField(blank=True, max_length=255, verbose_name='文件名')),
                    ('task_id', models.CharField(blank=True, editable=False, max_length=64, verbose_name='任务编号')),
                    ('requeues', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='重新排队次数')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='export_jobs', to=settings.AUTH_USER_MODEL, verbose_name='导出人')),
                ],
                options={
                    'verbose_name': '导出任务',
                    'verbose_name_plural': '导出任务',
                    'db_table': 'registry_exportjob',
                    'ordering': ['-created_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='Notice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=core.kinds.notice_kind_choices, max_length=20, verbose_name='类型')),
                    ('title', models.CharField(max_length=200, verbose_name='标题')),
                    ('body', models.TextField(blank=True, verbose_name='内容')),
                    ('url', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                    ('event_key', models.CharField(max_length=120, verbose_name='事件')),
                    ('emailed', models.BooleanField(default=False, verbose_name='已发邮件')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                    ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                ],
                options={
                    'verbose_name': '通知',
                    'verbose_name_plural': '通知',
                    'db_table': 'registry_notice',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['recipient', 'read_at'], name='registry_no_recipie_62ef7d_idx')],
                    'constraints': [models.UniqueConstraint(fields=('recipient', 'event_key'), name='registry_notice_once_per_event')],
                },
            ),
            ],
        ),
        migrations.RunPython(_move_content_types, migrations.RunPython.noop),
    ]
