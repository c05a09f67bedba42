"""Account writes: users, memberships, tokens. Each is atomic and audited."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import ApiToken, Membership, PasswordHistory, User, hash_token
from zhenwu.accounts.policy import forget_memberships, memberships_of
from zhenwu.accounts.roles import ADMIN_TRIAD, DELEGABLE_ROLES, ROLE_RANK, Perm, Role
from zhenwu.core import audit
from zhenwu.core.errors import DomainError


def _check_can_grant(actor, area, role: str) -> None:
    """Bounded delegation: an officer grants only roles ranked <= their own, only in
    their own subtree. ``actor=None`` means the server console (zhenwu createuser)."""
    if actor is None:
        return
    if role not in DELEGABLE_ROLES:
        raise DomainError("role_not_grantable")
    for membership in memberships_of(actor):
        if (
            membership.role in ROLE_RANK
            and area.is_within(membership.area)
            and ROLE_RANK[role] <= ROLE_RANK[membership.role]
            and Perm.MANAGE_USERS in _perms(membership.role)
        ):
            return
    raise DomainError("role_not_grantable")


def _perms(role):
    from zhenwu.accounts.roles import ROLE_PERMISSIONS

    return ROLE_PERMISSIONS.get(role, frozenset())


def _check_separation(user: User, new_role: str) -> None:
    held = {m.role for m in user.memberships.all()}
    if new_role in ADMIN_TRIAD and (held - {new_role}) & ADMIN_TRIAD:
        raise DomainError("separation_of_duties")
    if new_role in ADMIN_TRIAD and held - ADMIN_TRIAD:
        raise DomainError("separation_of_duties")
    if new_role not in ADMIN_TRIAD and held & ADMIN_TRIAD:
        raise DomainError("separation_of_duties")


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str,
    area,
    role: str,
    actor=None,
    display_name: str = "",
    must_change_password: bool = True,
    validate: bool = True,
    is_service_account: bool = False,
) -> User:
    """Create a user holding one role in one area. A service account (接口账号) gets no
    usable password: it cannot log in and acts only through API tokens."""
    _check_can_grant(actor, area, role)
    if validate and not is_service_account:
        validate_password(password)
    user = User(
        username=username,
        display_name=display_name,
        must_change_password=must_change_password and not is_service_account,
        password_changed_at=timezone.now(),
        is_service_account=is_service_account,
    )
    if is_service_account:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    _remember_password(user)
    Membership.objects.create(user=user, area=area, role=role, granted_by=actor)
    audit.record(
        "accounts.user_created",
        actor=actor,
        obj=user,
        data={"username": username, "role": role, "area": area.code}
        | ({"service_account": True} if is_service_account else {}),
    )
    return user


@transaction.atomic
def do_grant_membership(user: User, *, area, role: str, actor=None) -> Membership:
    _check_can_grant(actor, area, role)
    _check_separation(user, role)
    membership, created = Membership.objects.get_or_create(
        user=user, area=area, role=role, defaults={"granted_by": actor}
    )
    forget_memberships(user)
    if created:
        audit.record(
            "accounts.role_granted", actor=actor, obj=user, data={"role": role, "area": area.code}
        )
    return membership


@transaction.atomic
def do_revoke_membership(membership: Membership, *, actor=None) -> None:
    _check_can_grant(actor, membership.area, membership.role)
    user = membership.user
    audit.record(
        "accounts.role_revoked",
        actor=actor,
        obj=user,
        data={"role": membership.role, "area": membership.area.code},
    )
    membership.delete()
    forget_memberships(user)


@transaction.atomic
def do_set_active(user: User, *, active: bool, actor=None) -> None:
    for membership in user.memberships.select_related("area"):
        _check_can_grant(actor, membership.area, membership.role)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        "accounts.user_activated" if active else "accounts.user_deactivated", actor=actor, obj=user
    )


@transaction.atomic
def do_change_password(user: User, new_password: str, *, actor=None) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    _remember_password(user)
    audit.record("accounts.password_changed", actor=actor or user, obj=user)


def _remember_password(user: User) -> None:
    """Keep the new hash for the history validator; only the newest N rows are kept (and
    none when the history is off), so old hashes do not linger."""
    count = settings.PASSWORD_HISTORY_COUNT
    if count > 0 and user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[count:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def do_expire_password(user: User) -> None:
    """Rotation (SECURITY.md 5): a password past its maximum age forces the change page,
    through the same flag as a first login."""
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    audit.record(
        "accounts.password_expired",
        actor=user,
        obj=user,
        data={"max_age_days": settings.PASSWORD_MAX_AGE_DAYS},
    )


@transaction.atomic
def do_create_api_token(user: User, *, name: str, actor=None, expires_at=None) -> str:
    """Returns the raw token once; only its hash is kept."""
    if not user.is_service_account:
        raise DomainError("permission_denied")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        name=name, user=user, prefix=raw[:10], token_hash=hash_token(raw), expires_at=expires_at
    )
    audit.record("accounts.token_created", actor=actor, obj=token, data={"name": name})
    return raw


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor=None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("accounts.token_revoked", actor=actor, obj=token)


__all__ = [
    "Role",
    "do_create_user",
    "do_grant_membership",
    "do_revoke_membership",
    "do_set_active",
    "do_change_password",
    "do_expire_password",
    "do_create_api_token",
    "do_revoke_api_token",
]
