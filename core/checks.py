"""System checks for the deployment rules of SPEC §5 (run by `manage.py check`)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


def _served_dirs():
    """Directories whitenoise (or runserver's static handler) may serve files from."""
    dirs = [settings.STATIC_ROOT, getattr(settings, "WHITENOISE_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        dirs.append(entry[1] if isinstance(entry, (list, tuple)) else entry)
    return [Path(d).resolve() for d in dirs if d]


@register(Tags.security)
def media_root_is_private(app_configs, **kwargs):
    """Uploads are private: MEDIA_ROOT must not lie inside a directory served as static."""
    media = Path(settings.MEDIA_ROOT).resolve()
    for served in _served_dirs():
        if media == served or served in media.parents:
            return [
                Error(
                    f"上传文件目录 MEDIA_ROOT（{media}）位于静态文件目录（{served}）之内，"
                    "上传的文件会被公开访问",
                    hint="把 MEDIA_ROOT 设到 STATIC_ROOT、STATICFILES_DIRS 和 WHITENOISE_ROOT 之外",
                    id="registry.E001",
                )
            ]
    return []
