"""What a browser would send for a page's form, read from the HTML as rendered.

Used by the unchanged-save test: a field the form has but the template does not show is not
sent, exactly as with a person at the keyboard, so a form that would blank it is caught.
"""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "file", "image"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (attrs, [(name, value)])
        self._form = None
        self._select = None  # [name, multiple, chosen, first, disabled]
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = (a, [], [])
            self.forms.append(self._form)
        if self._form is None:
            return
        fields, buttons = self._form[1], self._form[2]
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "submit" and a.get("name") and not disabled:
                buttons.append((a["name"], a.get("value", "")))
            if disabled or not a.get("name") or kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            fields.append((a["name"], a.get("value", default)))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = [a.get("name"), "multiple" in a, [], None, disabled]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea":
            self._textarea = [a.get("name"), "", disabled]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            value = text.strip() if value is None else value
            if self._select[3] is None:
                self._select[3] = value
            if selected:
                self._select[2].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, chosen, first, disabled = self._select
            if name and not disabled:
                if not chosen and not multiple and first is not None:
                    chosen = [first]  # a browser sends the first option
                self._form[1].extend((name, v) for v in (chosen if multiple else chosen[-1:]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text, disabled = self._textarea
            if name and not disabled:
                # Browsers drop one newline right after <textarea>.
                self._form[1].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_forms(html):
    """[(attrs, fields, buttons)] of every method=post form on the page."""
    parser = _FormParser()
    parser.feed(html)
    return [f for f in parser.forms if (f[0].get("method") or "").lower() == "post"]


def as_post_data(fields, buttons=()):
    """A dict for Django's test client (lists for repeated names); the first named submit
    button is the one pressed."""
    data = {}
    for name, value in [*fields, *buttons[:1]]:
        data.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
