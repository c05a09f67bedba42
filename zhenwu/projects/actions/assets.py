"""项目资产 (assets formed by a project) and their yearly income distribution records.

An asset is registered once the project is accepted (验收): before that there is nothing
to hand over. A 到户类 asset belongs to one household of the project's area; the other two
kinds (经营性, 公益性) belong to a collective or a unit and carry no household. Income is
recorded once per asset and year (DB unique constraint); a correction is a new year's
record or a reviewed edit, never a second row."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.projects.choices import AssetType, ProjectStatus
from zhenwu.projects.models import Asset, AssetIncome, Project

CENT = Decimal("0.01")
REGISTERABLE = {ProjectStatus.ACCEPTED, ProjectStatus.ASSETS_REGISTERED}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def to_money(value, *, allow_zero: bool = True) -> Decimal:
    """Decimal yuan with 2 places; floats are refused (not exact)."""
    if isinstance(value, float | bool) or value is None:
        raise DomainError("invalid_amount")
    try:
        amount = Decimal(str(value).strip()).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount") from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError("invalid_amount")
    return amount


def _check_household(project: Project, asset_type: str, household):
    if asset_type == AssetType.HOUSEHOLD:
        if household is None:
            raise DomainError("asset_household_required")
        if not household.village.path.startswith(project.area.path):
            raise DomainError("asset_household_outside_area")
    elif household is not None:
        raise DomainError("asset_household_not_allowed")


@transaction.atomic
def do_register_asset(
    project: Project,
    *,
    actor,
    name: str,
    asset_type: str,
    value,
    owner: str,
    upkeep_by: str = "",
    registered_on: datetime.date,
    household=None,
) -> Asset:
    """登记项目资产 of an accepted project."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    project = Project.objects.select_for_update().select_related("area").get(pk=project.pk)
    require_area(actor, project.area, Perm.EDIT_PROJECTS)
    if project.status not in REGISTERABLE:
        raise DomainError("asset_project_not_accepted")
    if asset_type not in AssetType.values:
        raise DomainError("asset_type_invalid")
    name, owner = (name or "").strip(), (owner or "").strip()
    if not name or not owner:
        raise DomainError("asset_fields_missing")
    if not isinstance(registered_on, datetime.date):
        raise DomainError("asset_fields_missing")
    _check_household(project, asset_type, household)
    asset = Asset.objects.create(
        project=project,
        name=name[:200],
        asset_type=asset_type,
        value=to_money(value, allow_zero=False),
        owner=owner[:100],
        upkeep_by=(upkeep_by or "").strip()[:100],
        registered_on=registered_on,
        household=household,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "projects.asset_registered",
        actor=actor,
        obj=asset,
        data={
            "project": project.code,
            "name": asset.name,
            "asset_type": asset_type,
            "value": str(asset.value),
            "owner": asset.owner,
            "household": str(household.public_id) if household is not None else "",
        },
    )
    return asset


@transaction.atomic
def do_record_asset_income(asset: Asset, *, actor, year: int, amount, distribution: str):
    """资产收益及分配 of one year (once per asset and year)."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    asset = Asset.objects.select_for_update().select_related("project__area").get(pk=asset.pk)
    require_area(actor, asset.project.area, Perm.EDIT_PROJECTS)
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError("asset_income_year")
    if year < asset.registered_on.year:
        raise DomainError("asset_income_year")
    amount = to_money(amount)
    if AssetIncome.objects.filter(asset=asset, year=year).exists():
        raise DomainError("asset_income_duplicate", year=year)
    try:
        with transaction.atomic():
            income = AssetIncome.objects.create(
                asset=asset,
                year=year,
                amount=amount,
                distribution=(distribution or "").strip(),
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # a concurrent request recorded the same year first
        raise DomainError("asset_income_duplicate", year=year) from None
    audit.record(
        "projects.asset_income_recorded",
        actor=actor,
        obj=income,
        data={"asset": str(asset.public_id), "year": year, "amount": str(amount)},
    )
    return income


def asset_type_label(asset_type: str) -> str:
    return str(AssetType(asset_type).label) if asset_type in AssetType.values else _("未知")
