"""Small photo files for tests, each built when a test asks for it (nothing up front)."""

import io
import struct
import zlib

from PIL import Image

TAKEN = "2026:03:28 10:21:00"
# 36°39'04.32"N 117°07'12.00"E
LATITUDE, LONGITUDE = "36.651200", "117.120000"


def jpeg(*, exif=True, size=(64, 48), trailer=b"") -> bytes:
    """A small JPEG; with `exif`, DateTimeOriginal, GPS and a camera comment."""
    meta = Image.Exif()
    if exif:
        meta[0x010F] = "工地相机"
        meta[0x010E] = "secret description"
        meta.get_ifd(0x8769)[36867] = TAKEN
        gps = meta.get_ifd(0x8825)
        gps.update({1: "N", 2: (36.0, 39.0, 4.32), 3: "E", 4: (117.0, 7.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", exif=meta)
    return out.getvalue() + trailer


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` in its IHDR: ~60 bytes on disk, whatever the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b""))
        + _chunk(b"IEND", b"")
    )


HOSTILE_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
