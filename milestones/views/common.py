"""Helpers shared by the milestones views."""

from django.core.exceptions import ValidationError

REPORTER_SIDE = ("填报员", "管理员")


def apply_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form: known fields on the field, rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages if hasattr(error, "messages") else [error]:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
