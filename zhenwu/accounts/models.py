"""Users, memberships (user × area × role) and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.roles import Role


class User(AbstractUser):
    """用户. Access comes only from memberships, never from being staff or superuser."""

    must_change_password = models.BooleanField(_("须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    is_service_account = models.BooleanField(_("接口账号"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class Membership(models.Model):
    """任职: a role held in an area; scope is that area's subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("授予人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.area}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """接口令牌 for an integration. Acts as its (service) user, with that user's scope.
    Only the hash is stored; the token is shown once at creation."""

    name = models.CharField(_("名称"), max_length=100)
    user = models.ForeignKey(
        User, verbose_name=_("接口账号"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    @staticmethod
    def generate() -> str:
        return "zw_" + secrets.token_urlsafe(32)

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PasswordHistory(models.Model):
    """密码历史: hashes of a user's recent passwords, so that none is reused (SECURITY.md 5).
    Written by ``accounts.actions`` whenever a password is set; only the newest
    ``PASSWORD_HISTORY_COUNT`` rows are kept."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]
