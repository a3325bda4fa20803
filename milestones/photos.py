"""Site photos (调度图片) on their way in: decoded, bounded, re-encoded, EXIF kept as data.

A file is a photo only if Pillow decodes it as JPEG, PNG, GIF or WebP, whatever its name.
Bytes are checked before anything is read and pixels from the header before the image is
decoded, so a 20000×20000 PNG of a few kilobytes is refused without allocating 1.6 GB.
What is stored is a fresh JPEG (PNG for images with transparency) written from the pixels
alone: no EXIF, no comment chunk and no bytes appended after the image (polyglot payloads)
survive. The capture time and GPS position are read first and kept on the row as evidence
for reviewers (`ReportPhoto.evidence`).

A report form that fails validation keeps the photos that passed as pending uploads of that
user, project and month (`PendingPhoto`); the next successful save attaches them.
"""

import datetime
import io
import os
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from core.files import original_name

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}
MSG_NOT_IMAGE = "“{name}”不是图片文件，请上传 JPG/PNG 照片"
MSG_BYTES = "“{name}”超过{mb}MB，请压缩后再上传"
MSG_PIXELS = "“{name}”尺寸过大（{w}×{h}像素），单张不超过{mp}百万像素"
MSG_PIXELS_HUGE = "“{name}”尺寸过大，单张不超过{mp}百万像素"
MSG_NOT_SAVED = "照片未保存，请重新选择"

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 36867, 306
GPS_LAT_REF, GPS_LAT, GPS_LNG_REF, GPS_LNG = 1, 2, 3, 4
DEGREES = Decimal("0.000001")


@dataclass
class Photo:
    """A checked, re-encoded photo ready to be stored."""

    content: ContentFile
    original_name: str
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def fields(self) -> dict:
        return {
            "image": self.content,
            "original_name": self.original_name,
            "taken_at": self.taken_at,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def prepare(upload) -> Photo:
    """Check `upload` as a photo and re-encode it; ValidationError with a Chinese message."""
    name = original_name(upload) or "图片"
    max_bytes = settings.PHOTO_MAX_BYTES
    if (upload.size or 0) > max_bytes:
        raise ValidationError(MSG_BYTES.format(name=name, mb=max_bytes // (1024 * 1024)))
    upload.seek(0)
    with warnings.catch_warnings():
        # Our own bound is checked from the header; Pillow's bomb warning adds nothing.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            _check_pixels(image, name)
            image.load()
        except ValidationError:
            raise
        except Image.DecompressionBombError:
            # Far past Pillow's own ceiling: refused while opening, before we see the size.
            mp = settings.PHOTO_MAX_PIXELS // 1_000_000
            raise ValidationError(MSG_PIXELS_HUGE.format(name=name, mp=mp)) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(MSG_NOT_IMAGE.format(name=name)) from None
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(MSG_NOT_IMAGE.format(name=name))
    exif = image.getexif()
    latitude, longitude = _position(exif)
    content, ext = _reencode(image)
    base = os.path.splitext(name)[0] or "图片"
    return Photo(
        content=ContentFile(content, name=f"photo{ext}"),
        original_name=f"{base}{ext}"[-255:],
        taken_at=_taken_at(exif),
        latitude=latitude,
        longitude=longitude,
    )


def _check_pixels(image, name):
    width, height = image.size
    limit = settings.PHOTO_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            MSG_PIXELS.format(name=name, w=width, h=height, mp=limit // 1_000_000)
        )


def _reencode(image) -> tuple[bytes, str]:
    """Pixels only, upright (EXIF orientation applied before EXIF is dropped)."""
    if image.format == "GIF" or getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image = ImageOps.exif_transpose(image)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if transparent:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), ".png"
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue(), ".jpg"


def _taken_at(exif) -> datetime.datetime | None:
    """DateTimeOriginal (else DateTime), read as Asia/Shanghai wall time: cameras write no zone."""
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive)


def _degrees(dms, ref, negative) -> Decimal | None:
    try:
        d, m, s = (Decimal(str(float(x))) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = (d + m / 60 + s / 3600).quantize(DEGREES, rounding=ROUND_HALF_UP)
    return -value if str(ref).upper().startswith(negative) else value


def _position(exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(GPS_IFD)
    if GPS_LAT not in gps or GPS_LNG not in gps:
        return None, None
    lat = _degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N"), "S")
    lng = _degrees(gps[GPS_LNG], gps.get(GPS_LNG_REF, "E"), "W")
    if lat is None or lng is None or abs(lat) > 90 or abs(lng) > 180:
        return None, None
    return lat, lng


def evidence(taken_at, latitude, longitude) -> str:
    """“拍摄于2026-11-03 10:21，北纬36.651200°，东经117.120100°” (what the camera recorded)."""
    parts = []
    if taken_at:
        parts.append(f"拍摄于{timezone.localtime(taken_at):%Y-%m-%d %H:%M}")
    if latitude is not None and longitude is not None:
        ns = "北纬" if latitude >= 0 else "南纬"
        ew = "东经" if longitude >= 0 else "西经"
        parts.append(f"{ns}{abs(latitude)}°，{ew}{abs(longitude)}°")
    return "，".join(parts)


# ------------------------------------------------------------------ pending uploads


def stash_pending(*, user, project, year, month, photos) -> list:
    """Keep checked photos of a form that failed validation for the reporter's next save."""
    from milestones.models import PendingPhoto

    return [
        PendingPhoto.objects.create(
            user=user, project=project, year=year, month=month, **photo.fields()
        )
        for photo in photos
    ]


def pending_photos(*, user, project, year, month, ids):
    """The user's own pending photos of this project and month among `ids` (forged or stale
    ids fall out)."""
    from milestones.models import PendingPhoto

    clean = [int(i) for i in ids if str(i).isdigit()]
    return list(
        PendingPhoto.objects.filter(
            pk__in=clean, user=user, project=project, year=year, month=month
        ).order_by("id")
    )


def attach_pending(*, report, pending) -> list:
    """Move pending photos onto the saved report: the stored file is reused, not copied."""
    from milestones.models import ReportPhoto

    photos = []
    for p in pending:
        photos.append(
            ReportPhoto.objects.create(
                report=report,
                image=p.image.name,
                original_name=p.original_name,
                taken_at=p.taken_at,
                latitude=p.latitude,
                longitude=p.longitude,
            )
        )
        p.delete()
    return photos


def purge_pending(now=None) -> int:
    """Drop pending photos nobody came back for (older than PHOTO_PENDING_KEEP_HOURS) and
    their files; run nightly by beat."""
    from milestones.models import PendingPhoto

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.PHOTO_PENDING_KEEP_HOURS)
    purged = 0
    for photo in PendingPhoto.objects.filter(uploaded_at__lt=cutoff):
        photo.image.delete(save=False)
        photo.delete()
        purged += 1
    return purged
