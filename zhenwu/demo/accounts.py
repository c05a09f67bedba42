"""The demo's accounts: one per role (DEMO.md "Accounts"), with memorable passwords that
still pass the password policy (≥ 10 characters, 3 character classes). Demo mode only:
``zhenwu demo`` prints them."""

import secrets
import string
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.actions import do_create_user
from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.roles import Role
from zhenwu.areas.models import Area

DISTRICT, TOWNSHIP = "360704", "360704101"
LUOTIAN, MAKOU = "360704101214", "360704101203"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    area_code: str
    display_name: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


DEMO_ACCOUNTS = [
    DemoAccount("district_officer", "Ganxian#2023", Role.DISTRICT_OFFICER, DISTRICT, "赣县区乡村振兴局干部"),
    DemoAccount("township_officer", "Shadizhen#2023", Role.TOWNSHIP_OFFICER, TOWNSHIP, "沙地镇干部"),
    DemoAccount("luotian_cadre", "Luotiancun#2023", Role.VILLAGE_CADRE, LUOTIAN, "螺田村干部"),
    DemoAccount("makou_cadre", "Makoucun#2023", Role.VILLAGE_CADRE, MAKOU, "马口村干部"),
    DemoAccount("data_clerk", "Yibaoju#2023", Role.DEPARTMENT_CLERK, DISTRICT, "区医保局数据员"),
    DemoAccount("audit_admin", "Shenji#2023", Role.AUDITOR, DISTRICT, "审计管理员"),
    DemoAccount("system_admin", "Xitong#2023", Role.SYSTEM_ADMIN, DISTRICT, "系统管理员"),
    DemoAccount("security_admin", "Anquan#2023", Role.SECURITY_ADMIN, DISTRICT, "安全管理员"),
]  # fmt: skip
IMPORTING_ACCOUNT = "township_officer"  # the demo ledger is uploaded by the township


def create_demo_accounts() -> dict[str, User]:
    """Through the same action as ``zhenwu createuser`` (console actor), audited."""
    users = {}
    for account in DEMO_ACCOUNTS:
        users[account.username] = do_create_user(
            username=account.username,
            password=account.password,
            area=Area.objects.get(code=account.area_code),
            role=account.role,
            actor=None,
            display_name=account.display_name,
            must_change_password=False,
        )
    return users


def village_cadre_username(village: Area) -> str:
    return f"cadre_{village.code[-3:]}"


def create_village_cadres(villages) -> dict[int, User]:
    """One village cadre per village for the monitoring demo's village steps (the two
    printed cadres are reused). Random passwords, never printed: these accounts only do
    the demo's work; an administrator resets one to log in with it."""
    by_village = {
        membership.area_id: membership.user
        for membership in Membership.objects.filter(
            role=Role.VILLAGE_CADRE, area__in=list(villages)
        ).select_related("user")
    }
    for village in villages:
        if village.pk not in by_village:
            by_village[village.pk] = do_create_user(
                username=village_cadre_username(village),
                password=_random_password(),
                area=village,
                role=Role.VILLAGE_CADRE,
                actor=None,
                display_name=f"{village.name}干部",
                must_change_password=True,
            )
    return by_village


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(20)) + "#a7"


def accounts_table() -> str:
    """The table printed when the demo starts."""
    header = (_("用户名"), _("密码"), _("角色"), _("区域"))
    with translation.override("zh-hans"):
        areas = dict(
            Area.objects.filter(code__in={a.area_code for a in DEMO_ACCOUNTS}).values_list(
                "code", "name"
            )
        )
        rows = [tuple(str(cell) for cell in header)] + [
            (a.username, a.password, a.role_label, areas.get(a.area_code, a.area_code))
            for a in DEMO_ACCOUNTS
        ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        )
        for row in rows
    )


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
