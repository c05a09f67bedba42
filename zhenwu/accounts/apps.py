from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhenwu.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from zhenwu.accounts import auth_events  # noqa: F401  (login/logout audit receivers)
