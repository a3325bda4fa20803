"""Private uploads (SPEC §5): stored under random names, served only through scoped views.

Site photos, 入库材料 and uploaded spreadsheets live under MEDIA_ROOT, which no URL serves:
there is no `static(MEDIA_URL, …)` route in any mode, and registry.checks refuses a
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
