"""Private uploads (SPEC §5): stored under random names, served only through scoped views.

Site photos, 入库材料 and uploaded spreadsheets live under MEDIA_ROOT, which no URL serves:
there is no `static(MEDIA_URL, …)` route in any mode, and core.checks refuses a
MEDIA_ROOT inside the directories whitenoise serves. On disk a file is
`<folder>/<32 hex><ext>`, so its path reveals nothing of what the user called it; that name
is kept in the row (`original_name`; ImportBatch.file_name) and sent back by
`private_file_response` when a view that checked login and scope hands the file out.

A `PrivateFileField`'s `.url` is that scoped view (never MEDIA_URL), so the admin's links
and any template that writes `{{ obj.file.url }}` lead through the scope check too.
"""

import os
import re
import uuid
from urllib.parse import quote

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import reverse

_SAFE_EXT = re.compile(r"\.[a-z0-9]{1,10}")


def random_name(folder, filename):
    """`folder/<uuid4 hex><ext>`: the extension is kept (it gives the download its content
    type) only when it is a plain one."""
    ext = os.path.splitext(filename or "")[1].lower()
    if not _SAFE_EXT.fullmatch(ext):
        ext = ""
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def original_name(upload):
    """The name the user's file had (no directories), to store beside the random one."""
    return os.path.basename(getattr(upload, "name", "") or "")[-255:]


def private_file_response(fieldfile, filename=""):
    """The stored file as an attachment named `filename` (the original name).

    Attachment + nosniff: a file that is really HTML or SVG is saved, never rendered as a
    page of this site; `private` keeps shared proxies from caching it."""
    if not fieldfile:
        raise Http404("文件不存在")
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    name = filename or os.path.basename(fieldfile.name)
    response = FileResponse(handle)
    # quote(safe="") percent-encodes quotes, semicolons and line breaks of a hostile name.
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(name, safe="")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


class PrivateFieldFile(FieldFile):
    @property
    def url(self):
        self._require_file()
        return reverse(self.field.download_view, args=[self.instance.pk])


class PrivateFileField(models.FileField):
    """A user upload whose `.url` is the scoped download view `download_view` (a URL name
    taking the row's pk). Give it an `upload_to` built on `random_name`."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, download_view="", **kwargs):
        self.download_view = download_view
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["download_view"] = self.download_view
        return name, path, args, kwargs


def _private_fields():
    """Every FileField of every installed model (history tables included: a file an old
    version still names is kept)."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not field.many_to_many:
                yield model, field


def _folders_and_names():
    """The top-level folders the file fields store into, and every stored name rows hold."""
    folders, names = set(), set()
    for model, field in _private_fields():
        try:
            sample = field.generate_filename(None, "x.bin")
        except Exception:  # an upload_to that needs its instance: its folder comes from rows
            sample = ""
        if "/" in sample:
            folders.add(sample.split("/", 1)[0])
        stored = model._base_manager.exclude(**{field.attname: ""}).exclude(
            **{f"{field.attname}__isnull": True}
        )
        for name in stored.values_list(field.attname, flat=True).iterator():
            names.add(name)
            if "/" in name:
                folders.add(name.split("/", 1)[0])
    return folders, names


def sweep_orphan_files(*, min_age_hours=None, now=None) -> list[str]:
    """Delete stored files no row names any more (an upload whose transaction rolled back, a
    database cut mid-save), in the folders the file fields use only. A file younger than
    ORPHAN_FILE_MIN_AGE_HOURS is kept: its row may not have committed yet. Returns the names
    deleted (the nightly beat job logs how many)."""
    import time

    from django.conf import settings
    from django.core.files.storage import default_storage

    if min_age_hours is None:
        min_age_hours = getattr(settings, "ORPHAN_FILE_MIN_AGE_HOURS", 24)
    cutoff = (now or time.time()) - min_age_hours * 3600
    folders, names = _folders_and_names()
    root = os.path.realpath(settings.MEDIA_ROOT)
    deleted = []
    for folder in sorted(folders):
        top = os.path.join(root, folder)
        for dirpath, _dirs, files in os.walk(top):
            for filename in files:
                path = os.path.join(dirpath, filename)
                name = os.path.relpath(path, root).replace(os.sep, "/")
                if name in names or os.path.getmtime(path) > cutoff:
                    continue
                default_storage.delete(name)
                deleted.append(name)
    return deleted
