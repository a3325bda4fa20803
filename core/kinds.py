"""Vocabularies the platform stores and the apps fill.

A notice or an export job row keeps a short code (`kind`); the code and its Chinese label
belong to the app that sends the notice or builds the export, which registers them in its
AppConfig.ready(). The model field's `choices` is a callable over the registry, so admin,
forms and `get_kind_display()` show the label, and the platform never names an upper app.
"""


class Kinds:
    """Codes and labels registered by the apps, in registration order."""

    def __init__(self):
        self._labels: dict[str, str] = {}

    def register(self, choices) -> None:
        """Add (value, label) pairs, e.g. a TextChoices' `.choices`."""
        for value, label in choices:
            self._labels[str(value)] = str(label)

    def choices(self) -> list[tuple[str, str]]:
        return list(self._labels.items())

    def label(self, value) -> str:
        return self._labels.get(str(value), str(value))


NOTICE_KINDS = Kinds()
EXPORT_KINDS = Kinds()


def notice_kind_choices():
    return NOTICE_KINDS.choices()


def export_kind_choices():
    return EXPORT_KINDS.choices()
