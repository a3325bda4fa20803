"""Kept only because migration 0012 refers to the photo upload path and validator by this
module's name; the photo models live in milestones/models/photos.py."""

from milestones.models.photos import photo_path, validate_photo

__all__ = ["photo_path", "validate_photo"]
