"""Account forms: login, password change, user management. Validation only; the writes
go through ``accounts.actions``."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.roles import Role

# One message for every failure, so the page never says whether the account exists
# or is deactivated (SECURITY.md 6).
GENERIC_LOGIN_ERROR = _("用户名或密码不正确。")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": GENERIC_LOGIN_ERROR,
        "inactive": GENERIC_LOGIN_ERROR,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none"})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_text_html()
        self.fields["new_password1"].help_text = rules

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"), code="password_incorrect")
        return value

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new1 and new1 == cleaned.get("old_password"):
            self.add_error("new_password1", _("新密码不能与当前密码相同。"))
        return cleaned


class AreaRoleForm(forms.Form):
    """An area of the manager's subtree and a role the manager may grant."""

    area = forms.ModelChoiceField(queryset=None, label=_("区域"), to_field_name="code")
    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args, areas, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = area_label
        self.fields["area"].empty_label = _("请选择区域")
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]


def area_label(area) -> str:
    return f"{area.name}（{area.code}）"


class UserCreateForm(AreaRoleForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("字母、数字和 @ . + - _，登录时使用。"),
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    password1 = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("由您告知本人；首次登录时必须修改。"),
    )
    password2 = forms.CharField(
        label=_("再次输入初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "display_name", "area", "role", "password1", "password2"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"), code="duplicate")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class OtpCodeForm(forms.Form):
    """The 6-digit code of the authenticator app (spaces allowed, as some apps show them)."""

    code = forms.CharField(
        label=_("6 位验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("请输入手机应用显示的 6 位数字。"), code="format")
        return code
