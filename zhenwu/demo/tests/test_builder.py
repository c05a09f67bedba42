"""build_demo against the test database: through the real importer, with the accounts."""

import io

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)

from zhenwu.accounts.models import User
from zhenwu.accounts.passwords import PasswordHistoryValidator
from zhenwu.accounts.roles import Role
from zhenwu.core.models import AuditEvent
from zhenwu.demo.accounts import DEMO_ACCOUNTS, accounts_table
from zhenwu.demo.builder import DemoBuildError, build_demo
from zhenwu.demo.generator import generate_town
from zhenwu.lib.ids import parse_id_number
from zhenwu.registry.choices import HouseholdCategory
from zhenwu.registry.models import Household, IncomeRecord, Person
from zhenwu.registry.selectors import visible_households

HOUSEHOLDS = 150
POLICY = [
    validator
    for validator in get_default_password_validators()
    if not isinstance(validator, PasswordHistoryValidator)
]


@pytest.fixture
def built(db, tmp_path):
    out = io.StringIO()
    summary = build_demo(households=HOUSEHOLDS, seed=2023, stdout=out, workdir=tmp_path)
    return summary, out.getvalue()


def test_builds_the_generated_town_through_the_importer(built):
    summary, output = built
    town = generate_town(households=HOUSEHOLDS, seed=2023)
    assert Household.objects.count() == summary.households == HOUSEHOLDS
    assert Person.objects.count() == summary.people == town.people
    assert IncomeRecord.objects.filter(year=2022).count() == HOUSEHOLDS
    assert summary.import_counts["households_created"] == HOUSEHOLDS
    assert summary.import_counts["persons_created"] == town.people
    assert AuditEvent.objects.filter(event="registry.import", data__ok=True).count() == 1
    assert "导入完成" in output and summary.workbook.exists()


def test_stored_id_numbers_are_valid_and_match_the_derived_fields(built):
    for person in Person.objects.all():
        facts = parse_id_number(person.id_number)
        assert (facts.birth_date, facts.sex) == (person.birth_date, person.sex)
        assert facts.region_code in {"360721", "360704"}


def test_villages_and_share_of_lifted_households(built):
    villages = set(Household.objects.values_list("village__name", flat=True))
    assert len(villages) == 22 and {"沙地圩居委会", "螺田村", "马口村"} <= villages
    lifted = Household.objects.filter(category=HouseholdCategory.LIFTED).count()
    assert lifted == built[0].lifted_households
    assert 0.10 <= lifted / HOUSEHOLDS <= 0.18
    assert not Household.objects.filter(category=HouseholdCategory.MONITORED).exists()


def test_one_account_per_role_with_policy_compliant_passwords(built):
    roles = {a.role for a in DEMO_ACCOUNTS}
    assert roles == set(Role.values)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(account.password)
        assert not user.must_change_password
        # length, classes, common, similarity (history would refuse the current password)
        validate_password(account.password, user, password_validators=POLICY)
        membership = user.memberships.get()
        assert (membership.role, membership.area.code) == (account.role, account.area_code)
    table = accounts_table()
    assert all(a.username in table and a.password in table for a in DEMO_ACCOUNTS)


def test_the_luotian_cadre_sees_only_luotian_households(built):
    cadre = User.objects.get(username="luotian_cadre")
    villages = set(visible_households(cadre).values_list("village__name", flat=True))
    assert villages == {"螺田村"}
    township = User.objects.get(username="township_officer")
    assert visible_households(township).count() == HOUSEHOLDS


def test_refuses_to_build_over_existing_households(built, tmp_path):
    with pytest.raises(DemoBuildError):
        build_demo(households=5, stdout=io.StringIO(), workdir=tmp_path)
