"""The file side of backups: private files, the uploaded files' archive with a checksum of
each file, and the checked swap of the media directory.

A backup holds password hashes and sessions: the directory is 0700 and every file 0600,
created so from the start (never chmod-ed after being readable for a moment).
"""

import contextlib
import hashlib
import os
import secrets
import shutil
import tarfile
from pathlib import Path

MEDIA_TAR = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese."""


def private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # an existing (empty) directory too
    return path


@contextlib.contextmanager
def private_file(path: Path):
    """A new file only its owner can read, open for binary writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        yield fh


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hands tarfile the bytes of a file and hashes exactly those bytes."""

    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def archive_media(media: Path, target: Path) -> dict[str, str]:
    """Write the media directory into target/media.tar.gz; return {relative path: sha256}
    of the bytes archived (a file changing meanwhile is hashed as archived)."""
    hashes = {}
    with private_file(target / MEDIA_TAR) as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
        if not media.exists():
            return hashes
        tar.add(media, arcname="media", recursive=False)
        for path in sorted(media.rglob("*")):
            rel = path.relative_to(media).as_posix()
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                continue
            if path.is_dir():
                tar.add(path, arcname=f"media/{rel}", recursive=False)
                continue
            with open(path, "rb") as fh:
                info = tar.gettarinfo(fileobj=fh, arcname=f"media/{rel}")
                reader = _HashingReader(fh)
                tar.addfile(info, reader)
            hashes[rel] = reader.digest.hexdigest()
    return hashes


def stage_media(archive: Path, media: Path, expected: dict | None) -> Path:
    """Extract the archive next to `media` and check every file against the manifest
    (`expected` is None for backups made before files had checksums). Returns the staged
    directory; raises BackupError, removing it, when a file is missing, extra or changed."""
    staging = private_dir(media.parent / f".{media.name}.restoring-{secrets.token_hex(4)}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")
        staged = staging / "media"
        staged.mkdir(exist_ok=True)
        if expected is not None:
            got = {
                p.relative_to(staged).as_posix(): sha256_of(p)
                for p in staged.rglob("*")
                if p.is_file()
            }
            bad = sorted((set(got) ^ set(expected)) | {k for k in got if got[k] != expected.get(k)})
            if bad:
                raise BackupError(
                    f"备份中的上传文件与清单不符：{'、'.join(bad[:10])}，未做任何恢复"
                )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_media(staging: Path, media: Path) -> None:
    """Put the staged, verified files in place of `media` (two renames on one filesystem)."""
    old = media.parent / f".{media.name}.replaced-{secrets.token_hex(4)}"
    if media.exists():
        media.rename(old)
    (staging / "media").rename(media)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
