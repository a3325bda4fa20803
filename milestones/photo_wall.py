"""The photo wall of one project: its reports' 调度图片 by report month, and their thumbnails.

Thumbnails are made with Pillow the first time one is asked for and kept beside the photos
(`report_photo_thumbs/<the photo's random name>-<px>.jpg`), so a wall of sixty photos sends
sixty small JPEGs, not sixty full ones. The source is the stored photo, already re-encoded
without EXIF (milestones.photos), so the thumbnail carries nothing the photo did not.
"""

import io
import os
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from milestones.models import ReportPhoto

THUMB_PX = 480  # longest side: sharp in a ~240 px tile on a 2× phone screen
THUMB_FOLDER = "report_photo_thumbs"


@dataclass
class MonthOfPhotos:
    year: int
    month: int
    photos: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def project_photo_wall(project) -> list[MonthOfPhotos]:
    """The project's report photos grouped by report month, newest month first."""
    photos = (
        ReportPhoto.objects.filter(report__project=project)
        .select_related("report")
        .order_by("-report__year", "-report__month", "id")
    )
    months: list[MonthOfPhotos] = []
    for photo in photos:
        year, month = photo.report.year, photo.report.month
        if not months or (months[-1].year, months[-1].month) != (year, month):
            months.append(MonthOfPhotos(year, month))
        months[-1].photos.append(photo)
    return months


def thumbnail_name(photo) -> str:
    stem = os.path.splitext(os.path.basename(photo.image.name))[0]
    return f"{THUMB_FOLDER}/{stem}-{THUMB_PX}.jpg"


def thumbnail(photo):
    """The stored thumbnail of `photo` (made now if missing), opened for reading; None when
    the photo's file is gone or unreadable."""
    storage = photo.image.storage
    name = thumbnail_name(photo)
    if not storage.exists(name):
        content = _make(photo)
        if content is None:
            return None
        name = storage.save(name, ContentFile(content))
    return storage.open(name, "rb")


def _make(photo) -> bytes | None:
    try:
        with photo.image.open("rb") as fh, Image.open(fh) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    except (FileNotFoundError, OSError, ValueError, SyntaxError):
        return None
    return out.getvalue()


def drop_thumbnail(photo) -> None:
    """Remove the kept thumbnail with its photo (a deleted photo leaves nothing behind)."""
    storage = photo.image.storage
    name = thumbnail_name(photo)
    if storage.exists(name):
        storage.delete(name)
