"""Password rules of 等保 practice: at least N of 4 character classes, none of the last N
passwords again, and a maximum age (SECURITY.md 5)."""

import datetime
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字和符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字和符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


# Set at login when the password was past its maximum age (auth_events), for the message.
PASSWORD_EXPIRED_SESSION_KEY = "zhenwu_password_expired"


def recent_password_hashes(user, count: int) -> list[str]:
    """The hashes of the user's current and ``count`` most recent passwords."""
    hashes = [user.password] if user.password else []
    if user.pk is not None:
        hashes += list(user.password_history.values_list("password", flat=True)[:count])
    return list(dict.fromkeys(hashes))


class PasswordHistoryValidator:
    """Refuses the current password and any of the last ``PASSWORD_HISTORY_COUNT``.
    The count is read at validation time so that a settings override applies."""

    def __init__(self, history: int | None = None):
        self.history = history

    @property
    def count(self) -> int:
        return settings.PASSWORD_HISTORY_COUNT if self.history is None else self.history

    def validate(self, password, user=None):
        count = self.count
        if count <= 0 or user is None:
            return
        if any(check_password(password, h) for h in recent_password_hashes(user, count)):
            raise ValidationError(
                _("新密码不能与最近 %(n)d 次使用过的密码相同，请换一个新密码。") % {"n": count},
                code="password_reused",
            )

    def get_help_text(self):
        if self.count <= 0:
            return ""
        return _("不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.count}


def password_is_expired(user, now: datetime.datetime | None = None) -> bool:
    """True when the password is older than ``PASSWORD_MAX_AGE_DAYS`` (0 = never). A user
    whose change time is unknown is aged from the account's creation."""
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age <= 0 or not user.has_usable_password():
        return False
    changed_at = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed_at > datetime.timedelta(days=max_age)
