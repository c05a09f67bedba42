"""The personas' world, used by tests (and nothing in production)."""

import datetime
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.roles import Role
from zhenwu.areas.loader import load_areas_csv
from zhenwu.areas.models import Area
from zhenwu.lib.ids import build_id_number

AREAS_CSV = Path(__file__).resolve().parent.parent / "areas" / "data" / "shadi.csv"
PASSWORD = "Zhenwu-Test-2023!"

PERSONAS = {
    # key: (username, display name, area code, role)
    "district_officer": ("district", "区乡村振兴局", "360704", Role.DISTRICT_OFFICER),
    "township_officer": ("township", "沙地镇干部", "360704101", Role.TOWNSHIP_OFFICER),
    "luotian_cadre": ("luotian", "螺田村干部", "360704101214", Role.VILLAGE_CADRE),
    "makou_cadre": ("makou", "马口村干部", "360704101203", Role.VILLAGE_CADRE),
    "auditor": ("auditor", "审计员", "360704", Role.AUDITOR),
    "system_admin": ("sysadmin", "系统管理员", "360704", Role.SYSTEM_ADMIN),
    "department_clerk": ("clerk", "医保局数据员", "360704", Role.DEPARTMENT_CLERK),
}
AREA_KEYS = {
    "district": "360704",
    "shadi": "360704101",
    "luotian": "360704101214",
    "makou": "360704101203",
}

_sequence = itertools.count(100)


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def ensure_world() -> World:
    if not Area.objects.filter(code="360704101214").exists():
        load_areas_csv(AREAS_CSV)
    world = World(areas={k: Area.objects.get(code=c) for k, c in AREA_KEYS.items()})
    for key, (username, display, area_code, role) in PERSONAS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display, must_change_password=False)
            user.set_password(PASSWORD)
            user.save()
            Membership.objects.create(user=user, area=Area.objects.get(code=area_code), role=role)
        world.users[key] = user
    nobody = User.objects.filter(username="nobody").first()
    if nobody is None:
        nobody = User(username="nobody", must_change_password=False)
        nobody.set_password(PASSWORD)
        nobody.save()
    world.users["nobody"] = nobody
    return world


MALE_RELATIONS = {"head", "son", "father", "grandson", "son_in_law"}


def test_id_number(
    birth_date: datetime.date, region: str = "360721", male: bool | None = None
) -> str:
    """A valid ID number; the sequence's parity gives the sex (odd = male) when asked."""
    sequence = next(_sequence)
    if male is not None and (sequence % 2 == 1) != male:
        sequence = next(_sequence)
    return build_id_number(region, birth_date, sequence)


test_id_number.__test__ = False  # not a pytest test


def make_household(actor, village, number, members, **household_data):
    """Create a household and its members through the real actions."""
    from zhenwu.registry.actions import do_add_person, do_create_household

    household = do_create_household(
        actor=actor, village=village, data={"number": number, **household_data}
    )
    for name, birth_date, relation in members:
        do_add_person(
            household,
            actor=actor,
            name=name,
            id_number=test_id_number(birth_date, male=relation in MALE_RELATIONS),
            data={
                "relation": relation,
                "labour_capacity": "ordinary",
                "health": "healthy",
                "medical_insurance": "resident",
            },
        )
    return household
