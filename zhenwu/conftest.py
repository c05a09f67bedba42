"""Shared test set-up: one test database for the whole suite, the area tree and the
personas (STYLE.md 12) loaded once; every test runs in a rolled-back transaction.

Personas on the fixed tree 赣县区 → 沙地镇 → 螺田村 / 马口村:
district_officer, township_officer, luotian_cadre (village A), makou_cadre (village B),
auditor, system_admin, department_clerk.
"""

import datetime
from pathlib import Path

import pytest

from zhenwu.testing import personas as persona_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        persona_data.ensure_world()


@pytest.fixture
def world(db):
    """Areas and personas, re-created if a transactional test flushed them."""
    return persona_data.ensure_world()


@pytest.fixture
def district_officer(world):
    return world.users["district_officer"]


@pytest.fixture
def township_officer(world):
    return world.users["township_officer"]


@pytest.fixture
def luotian_cadre(world):
    return world.users["luotian_cadre"]


@pytest.fixture
def makou_cadre(world):
    return world.users["makou_cadre"]


@pytest.fixture
def auditor(world):
    return world.users["auditor"]


@pytest.fixture
def system_admin(world):
    return world.users["system_admin"]


@pytest.fixture
def department_clerk(world):
    return world.users["department_clerk"]


@pytest.fixture
def no_membership_user(world):
    return world.users["nobody"]


@pytest.fixture
def luotian(world):
    return world.areas["luotian"]


@pytest.fixture
def makou(world):
    return world.areas["makou"]


@pytest.fixture
def shadi(world):
    return world.areas["shadi"]


@pytest.fixture
def luotian_household(world, township_officer, luotian):
    """A 脱贫户 of three in 螺田村 (head 张三丰)."""
    return persona_data.make_household(
        township_officer,
        luotian,
        "LT0001",
        [
            ("张三丰", datetime.date(1968, 3, 5), "head"),
            ("李秀英", datetime.date(1970, 7, 9), "spouse"),
            ("张小明", datetime.date(2012, 1, 20), "son"),
        ],
        category="lifted",
        lifted_year=2016,
        lifted_subtype="ordinary",
    )


@pytest.fixture
def makou_household(world, township_officer, makou):
    """An ordinary household of two in 马口村 (head 王五)."""
    return persona_data.make_household(
        township_officer,
        makou,
        "MK0001",
        [
            ("王五", datetime.date(1955, 11, 1), "head"),
            ("赵六", datetime.date(1958, 2, 14), "spouse"),
        ],
        category="general",
    )


@pytest.fixture
def luotian_service_account(world, luotian):
    """An integration's service account (接口账号), village cadre role in 螺田村."""
    from zhenwu.accounts.actions import do_create_user

    return do_create_user(
        username="luotian-app",
        password="",
        area=luotian,
        role="village_cadre",
        is_service_account=True,
    )


@pytest.fixture
def luotian_token(luotian_service_account) -> str:
    """A raw API token (zw_...) of ``luotian_service_account``."""
    from zhenwu.accounts.actions import do_create_api_token

    return do_create_api_token(luotian_service_account, name="螺田村移动端")


@pytest.fixture
def tmp_xlsx(tmp_path) -> Path:
    return tmp_path / "upload.xlsx"
