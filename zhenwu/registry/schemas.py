"""API schemas of the household and member record (农户档案接口).

Input schemas forbid unknown keys, so no field outside the schema can be assigned (no
area, creator, version or ID hash smuggled in). Output is built by the ``*_out`` functions
below, field by field: ID numbers are never output (``id_masked`` only), phones are
masked, and protected fields are left out of the dict (absent keys, not null) when the
caller may not see them (SECURITY.md 4, 10).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from zhenwu.accounts.policy import area_in_scope
from zhenwu.accounts.roles import Perm
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from zhenwu.lib.ids import IdNumberError, age_on, parse_id_number
from zhenwu.lib.masking import mask_bank_account, mask_phone
from zhenwu.registry.choices import (
    Education,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    LiftedSubtype,
    MedicalInsurance,
    MonitoringCategory,
    PersonStatus,
    Relation,
    RiskType,
    SchoolStatus,
    Sex,
    WorkPlace,
)
from zhenwu.registry.identity import ID_ERROR_MESSAGES

NONE = Literal[""]  # "not recorded" for optional code fields
AREA_CODE = r"^\d{6,20}$"
PHONE = r"^[0-9+\- ]*$"
SENSITIVE_NOTE = "仅对具有 registry.view_sensitive 权限的用户返回，否则不含此键。"
BANK_NOTE = "仅对具有 registry.view_bank 权限的用户返回（只显示后四位），否则不含此键。"


# --- Field-level permission ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldAccess:
    """What the caller may see of records in one village (per area, from accounts.policy)."""

    sensitive: bool
    bank: bool

    @classmethod
    def of(cls, user, village) -> "FieldAccess":
        return cls(
            sensitive=area_in_scope(user, village, Perm.VIEW_SENSITIVE),
            bank=area_in_scope(user, village, Perm.VIEW_BANK),
        )


# --- Output ------------------------------------------------------------------------------


class VillageOut(Schema):
    code: str
    name: str


class PersonOut(Schema):
    public_id: UUID
    household: UUID
    household_number: str
    name: str
    sex: Sex
    age: int = Field(description="周岁；出生日期不输出（它是身份证号第 7-14 位）")
    id_masked: str = Field(description="脱敏身份证号，如 360***********1234")
    relation: Relation
    ethnicity: str
    education: Education | NONE
    school_status: SchoolStatus | NONE
    labour_capacity: LabourCapacity | NONE
    work_place: WorkPlace
    work_months: int
    medical_insurance: MedicalInsurance | NONE
    critical_illness_insurance: bool
    pension_insurance: bool
    receives_dibao: bool
    receives_tekun: bool
    phone_masked: str = Field(description="脱敏电话，如 138****5678")
    status: PersonStatus
    version: int
    health: Health | NONE | None = Field(None, description=SENSITIVE_NOTE)
    disability: str | None = Field(None, description=SENSITIVE_NOTE)
    bank_account_masked: str | None = Field(None, description=BANK_NOTE)


class IncomeOut(Schema):
    year: int
    wage_income: Decimal
    business_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    production_cost: Decimal
    member_count: int
    net_income: Decimal
    per_capita_net_income: Decimal


class HouseholdSummaryOut(Schema):
    public_id: UUID
    number: str
    village: VillageOut
    group_name: str
    natural_village: str
    category: HouseholdCategory
    lifted_year: int | None
    lifted_subtype: LiftedSubtype | NONE
    monitoring_category: MonitoringCategory | NONE
    status: HouseholdStatus
    head_name: str
    member_count: int = Field(description="在册（正常状态）成员数")
    version: int


class HouseholdOut(HouseholdSummaryOut):
    address: str
    phone_masked: str
    monitoring_since: datetime.date | None
    no_labour: bool
    relocated: bool
    relocation_site: str
    risks: list[str]
    note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    members: list[PersonOut]
    incomes: list[IncomeOut] | None = Field(None, description=SENSITIVE_NOTE)


class HouseholdPage(Schema):
    items: list[HouseholdSummaryOut]
    next_cursor: str | None = Field(description="下一页游标；为 null 表示已是最后一页")


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None = Field(description="下一页游标；为 null 表示已是最后一页")


def _value(choice) -> str:
    return choice.value if isinstance(choice, Enum) else choice


def person_out(person, access: FieldAccess) -> dict:
    data = {
        "public_id": person.public_id,
        "household": person.household.public_id,
        "household_number": person.household.number,
        "name": person.name,
        "sex": person.sex,
        "age": age_on(person.birth_date, timezone.localdate()),
        "id_masked": person.id_masked,
        "phone_masked": mask_phone(person.phone),
        "version": person.version,
    }
    for field in PERSON_PLAIN_OUTPUT:
        data[field] = _value(getattr(person, field))
    if access.sensitive:
        data["health"] = person.health or ""
        data["disability"] = person.disability or ""
    if access.bank:
        data["bank_account_masked"] = mask_bank_account(person.bank_account)
    return data


PERSON_PLAIN_OUTPUT = [
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "labour_capacity",
    "work_place",
    "work_months",
    "medical_insurance",
    "critical_illness_insurance",
    "pension_insurance",
    "receives_dibao",
    "receives_tekun",
    "status",
]


def household_summary_out(household) -> dict:
    """Expects ``members`` prefetched (head and member count come from them)."""
    active = household.active_members()
    head = next((p for p in active if p.relation == Relation.HEAD), None)
    return {
        "public_id": household.public_id,
        "number": household.number,
        "village": {"code": household.village.code, "name": household.village.name},
        "group_name": household.group_name,
        "natural_village": household.natural_village,
        "category": household.category,
        "lifted_year": household.lifted_year,
        "lifted_subtype": household.lifted_subtype,
        "monitoring_category": household.monitoring_category,
        "status": household.status,
        "head_name": head.name if head else "",
        "member_count": len(active),
        "version": household.version,
    }


def household_out(household, access: FieldAccess) -> dict:
    data = household_summary_out(household)
    data.update(
        address=household.address,
        phone_masked=mask_phone(household.phone),
        monitoring_since=household.monitoring_since,
        no_labour=household.no_labour,
        relocated=household.relocated,
        relocation_site=household.relocation_site,
        risks=[_value(r) for r in household.risks or []],
        note=household.note,
        created_at=household.created_at,
        updated_at=household.updated_at,
        members=[person_out(p, access) for p in household.members.all()],
    )
    if access.sensitive:
        data["incomes"] = [income_out(i) for i in household.incomes.all()]
    return data


def income_out(income) -> dict:
    return {field: getattr(income, field) for field in IncomeOut.model_fields}


# --- Input -------------------------------------------------------------------------------


class StrictSchema(Schema):
    """Unknown keys are a 422 naming the key, not silently dropped or assigned."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def changes(self, *, exclude: frozenset[str] | set[str] = frozenset()) -> dict:
        """The fields the client sent, as plain values for the actions."""
        sent = self.model_dump(exclude_unset=True, exclude=set(exclude))
        return {k: _plain(v) for k, v in sent.items()}


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _refuse_null(value):
    if value is None:
        raise ValueError("不能为空")
    return value


class HouseholdFields(StrictSchema):
    """Editable household fields; the defaults are those of a new household."""

    group_name: str = Field("", max_length=50)
    natural_village: str = Field("", max_length=50)
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20, pattern=PHONE)
    category: HouseholdCategory = HouseholdCategory.GENERAL
    lifted_year: int | None = Field(None, ge=1980, le=2100)
    lifted_subtype: LiftedSubtype | NONE = ""
    monitoring_category: MonitoringCategory | NONE = ""
    monitoring_since: datetime.date | None = None
    status: HouseholdStatus = HouseholdStatus.ACTIVE
    no_labour: bool = False
    relocated: bool = False
    relocation_site: str = Field("", max_length=100)
    risks: list[RiskType] = Field(default_factory=list, max_length=5)
    note: str = Field("", max_length=2000)


class HouseholdCreate(HouseholdFields):
    village: str = Field(pattern=AREA_CODE, description="行政村区划代码，须在调用者管辖范围内")
    number: str = Field(min_length=1, max_length=32, description="户编号")


class HouseholdPatch(HouseholdFields):
    version: int = Field(ge=1, description="编辑开始时读取的版本号；已被他人修改时返回 409")
    village: str | None = Field(
        None, pattern=AREA_CODE, description="迁往的行政村代码；原村和新村都须在管辖范围内"
    )
    number: str | None = Field(None, min_length=1, max_length=32)

    _not_null = field_validator("village", "number")(_refuse_null)


class HouseholdListQuery(Schema):
    village: str | None = Field(None, pattern=AREA_CODE, description="行政村区划代码")
    category: HouseholdCategory | None = None
    status: HouseholdStatus | None = None
    monitoring_category: MonitoringCategory | None = None
    q: str | None = Field(
        None, max_length=50, description="姓名、全拼、拼音首字母、身份证后四位、户编号"
    )
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class PersonListQuery(Schema):
    q: str | None = Field(None, max_length=50, description="姓名、全拼、拼音首字母、身份证后四位")
    household: UUID | None = Field(None, description="农户公开编号")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _check_id_number(value):
    if value is None:
        raise ValueError("不能为空")
    try:
        return parse_id_number(value).number
    except IdNumberError as error:
        raise ValueError(ID_ERROR_MESSAGES.get(error.reason, error.reason)) from None


class PersonFields(StrictSchema):
    """Editable member fields; the defaults are those of a new member."""

    ethnicity: str = Field("汉族", max_length=20)
    education: Education | NONE = ""
    school_status: SchoolStatus | NONE = ""
    health: Health | NONE = Field("", description="需 registry.view_sensitive 权限")
    disability: str = Field("", max_length=100, description="需 registry.view_sensitive 权限")
    labour_capacity: LabourCapacity | NONE = ""
    work_place: WorkPlace = WorkPlace.NONE
    work_months: int = Field(0, ge=0, le=12)
    medical_insurance: MedicalInsurance | NONE = ""
    critical_illness_insurance: bool = False
    pension_insurance: bool = False
    receives_dibao: bool = False
    receives_tekun: bool = False
    phone: str = Field("", max_length=20, pattern=PHONE)
    bank_account: str = Field(
        "", max_length=40, pattern=r"^[0-9 ]*$", description="需 registry.view_bank 权限"
    )
    status: PersonStatus = PersonStatus.ACTIVE


class PersonCreate(PersonFields):
    name: str = Field(min_length=1, max_length=50)
    id_number: str = Field(
        min_length=15, max_length=40, description="18 位身份证号；只写不读，输出只有 id_masked"
    )
    relation: Relation

    _valid_id = field_validator("id_number")(_check_id_number)


class PersonPatch(PersonFields):
    version: int = Field(ge=1, description="编辑开始时读取的版本号；已被他人修改时返回 409")
    name: str | None = Field(None, min_length=1, max_length=50)
    id_number: str | None = Field(None, min_length=15, max_length=40, description="只写不读")
    relation: Relation | None = None

    _not_null = field_validator("name", "relation")(_refuse_null)
    _valid_id = field_validator("id_number")(_check_id_number)


# Writing a protected field needs the permission to read it in that village.
PROTECTED_INPUT = {
    "health": Perm.VIEW_SENSITIVE,
    "disability": Perm.VIEW_SENSITIVE,
    "bank_account": Perm.VIEW_BANK,
}
