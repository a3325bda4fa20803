"""入库材料 uploaded on the web: what a file really is decides whether it is kept.

A document is accepted when its bytes are a PDF, an image Pillow can read, or an Office
file (OLE container: .doc/.xls/.ppt; Office Open XML or OpenDocument zip: .docx/.xlsx/
.pptx/.odt/.ods). The name the user gave is kept for the download but never trusted: the
stored file gets the extension of what was found, so an HTML page named “批复.pdf” is
refused and nothing named .html is ever written. Zips pass the spreadsheet guard's
directory bounds (no zip bomb is kept). Files are served only as attachments through the
scoped view (core.files), and every upload is recorded in the document's history.
"""

import io
import os
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from core.excel.guard import LimitError, check_directory
from core.excel.reader import MAGIC_CFB, MAGIC_ZIP
from core.files import original_name
from registry.choices import DocumentKind
from registry.models import Document

MAGIC_PDF = b"%PDF-"
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "TIFF": ".tif"}
# Members that name an Office Open XML document's kind.
OOXML_PARTS = {"word/document.xml": ".docx", "xl/workbook.xml": ".xlsx",
               "ppt/presentation.xml": ".pptx"}  # fmt: skip
ODF_TYPES = {b"opendocument.text": ".odt", b"opendocument.spreadsheet": ".ods"}
OLE_NAMES = {".doc", ".xls", ".ppt", ".wps", ".et"}

ACCEPTED = "PDF、图片（JPG/PNG）或Office文档（Word/Excel）"
MSG_EMPTY = "请选择要上传的文件"
MSG_TYPE = f"“{{name}}”不是{ACCEPTED}，请检查文件后重新上传"
MSG_SIZE = "“{name}”超过{mb}MB，请压缩或拆分后再上传"
MSG_BROKEN = "“{name}”已损坏或不完整，请重新保存后再上传"


def max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def detect(data: bytes, name: str) -> str:
    """The extension the bytes deserve ('.pdf', '.jpg', '.docx' …) or ValidationError."""
    if data.startswith(MAGIC_PDF):
        return ".pdf"
    if data.startswith(MAGIC_CFB):
        ext = os.path.splitext(name)[1].lower()
        return ext if ext in OLE_NAMES else ".doc"
    if data.startswith(MAGIC_ZIP):
        return _office_zip(data, name)
    return _image(data, name)


def _office_zip(data, name):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_directory(data, zf)
            names = set(zf.namelist())
            for part, ext in OOXML_PARTS.items():
                if part in names:
                    return ext
            info = zf.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size < 200:
                mimetype = zf.read("mimetype")
                for marker, ext in ODF_TYPES.items():
                    if marker in mimetype:
                        return ext
    except LimitError as exc:
        raise ValidationError(str(exc)) from None
    except (zipfile.BadZipFile, ValueError, EOFError, KeyError, NotImplementedError):
        raise ValidationError(MSG_BROKEN.format(name=name)) from None
    raise ValidationError(MSG_TYPE.format(name=name))


def _image(data, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(MSG_TYPE.format(name=name))
            image.verify()
        except ValidationError:
            raise
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
                ValueError):  # fmt: skip
            raise ValidationError(MSG_TYPE.format(name=name)) from None
    if image.format not in IMAGE_FORMATS:
        raise ValidationError(MSG_TYPE.format(name=name))
    return IMAGE_FORMATS[image.format]


def read_upload(upload) -> tuple[bytes, str]:
    """The upload's bytes (bounded) and its user-given name; ValidationError in Chinese."""
    if not upload:
        raise ValidationError(MSG_EMPTY)
    name = original_name(upload) or "文件"
    limit = max_bytes()
    if (upload.size or 0) > limit:
        raise ValidationError(MSG_SIZE.format(name=name, mb=limit // (1024 * 1024)))
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(MSG_EMPTY)
    if len(data) > limit:
        raise ValidationError(MSG_SIZE.format(name=name, mb=limit // (1024 * 1024)))
    return data, name


def document_add(*, project, kind: str, title: str, upload, user) -> Document:
    """Check and store one 入库材料 of `project`; the upload is recorded in its history."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "请选择材料类型"})
    data, name = read_upload(upload)
    ext = detect(data, name)
    base = os.path.splitext(name)[0] or "文件"
    document = Document(
        project=project,
        kind=kind,
        title=(title or "").strip()[:200] or base[:200],
        original_name=f"{base}{ext}"[-255:],
        uploaded_by=user,
    )
    document.file.save(f"document{ext}", ContentFile(data), save=False)
    document._history_user = user
    document._change_reason = f"上传入库材料：{document.original_name}"
    document.save()
    return document
