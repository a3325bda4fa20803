"""An action that needs the user's explicit confirmation of what is missing (SPEC §3.8): the
yearly appraisal before December is closed, next year's list while months are unreported."""


class ConfirmationNeededError(Exception):
    """Raised by a service asked to act without `confirmed=True` while `lines` (Chinese, one
    gap each) are missing; the page shows them and asks again."""

    def __init__(self, lines: list[str], action: str = "继续"):
        self.lines = list(lines)
        self.action = action
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"尚有未完成的数据：{'；'.join(self.lines)}。确认仍要{self.action}请勾选“我已知晓”后重新提交"
