"""What every milestones service shares: the audit user and the future-month message."""

MSG_FUTURE = "不能填报未来月份（{y}年{m}月尚未到来）"


def history_user(obj, user):
    """Record `user` as the author of the next audited save of `obj` (simple-history)."""
    obj._history_user = user
    return obj
