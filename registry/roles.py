"""Which role a user has. Roles are Django groups named as in SPEC §1."""

from registry.choices import Role

ROLE_ORDER = [Role.ADMIN, Role.REVIEWER, Role.LEADER, Role.REPORTER]
# Who uploads 入库材料 (always within their project scope): the reporters who enter a
# project's data, the reviewers who check it, and admins.
DOCUMENT_EDITORS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)


def roles_of(user):
    """Set of role names of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMIN.value}
        user._role_names = cached
    return cached


def role_of(user):
    """The strongest role of a user, or None."""
    names = roles_of(user)
    for role in ROLE_ORDER:
        if role.value in names:
            return role
    return None


def has_role(user, *roles):
    names = roles_of(user)
    return any(str(r) in names for r in roles)


def person_name(user):
    """How the system names a person: the full name, else the login name."""
    return user.get_full_name() or user.username
