"""特色产业, 经营主体 and 项目资产, read-only, at /api/v1/projects/industries,
/api/v1/projects/enterprises and /api/v1/projects/assets.

Scoped like the pages: a village cadre gets their village's enterprises and assets only
(404 for missing and out-of-scope alike). An asset names its household by number only."""

import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema

from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.projects import selectors
from zhenwu.projects.choices import AssetType

router = Router(tags=["特色产业与项目资产"])


class EnterpriseOut(Schema):
    id: UUID
    name: str
    kind: str
    village: str
    village_name: str
    industry: str | None
    products: str
    jobs_for_lifted: int
    linked_households: int
    project_code: str | None
    version: int


class IndustryOut(Schema):
    id: UUID
    name: str
    area: str
    description: str
    jobs_for_lifted: int
    linked_households: int
    enterprises: list[EnterpriseOut]


class EnterpriseQuery(Schema):
    village: str | None = Field(None, max_length=20, description="行政村代码")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    next_cursor: str | None


class IncomeOut(Schema):
    year: int
    amount: Decimal
    distribution: str


class AssetOut(Schema):
    id: UUID
    name: str
    asset_type: str
    value: Decimal
    owner: str
    upkeep_by: str
    registered_on: datetime.date
    project_code: str
    area: str
    household_number: str | None
    incomes: list[IncomeOut] | None = None


class AssetQuery(Schema):
    asset_type: AssetType | None = None
    area: str | None = Field(None, max_length=20, description="区域代码（含下级）")
    year: int | None = Field(None, ge=2000, le=2100, description="登记年度")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class AssetPage(Schema):
    items: list[AssetOut]
    next_cursor: str | None


def enterprise_out(e) -> dict:
    return {
        "id": e.public_id,
        "name": e.name,
        "kind": e.kind,
        "village": e.village.code,
        "village_name": e.village.name,
        "industry": e.industry.name if e.industry_id else None,
        "products": e.products,
        "jobs_for_lifted": e.jobs_for_lifted,
        "linked_households": e.linked_households,
        "project_code": e.project.code if e.project_id else None,
        "version": e.version,
    }


def asset_out(asset, *, incomes: bool = False) -> dict:
    out = {
        "id": asset.public_id,
        "name": asset.name,
        "asset_type": asset.asset_type,
        "value": asset.value,
        "owner": asset.owner,
        "upkeep_by": asset.upkeep_by,
        "registered_on": asset.registered_on,
        "project_code": asset.project.code,
        "area": asset.project.area.code,
        "household_number": asset.household.number if asset.household_id else None,
    }
    if incomes:
        out["incomes"] = [
            {"year": i.year, "amount": i.amount, "distribution": i.distribution}
            for i in asset.incomes.order_by("year")
        ]
    return out


@router.get("/projects/industries", response=list[IndustryOut], summary="特色产业列表")
def list_industries(request):
    """Featured industries with the caller's visible enterprises and their totals."""
    user = request_user(request)
    enterprises = list(selectors.visible_enterprises(user).order_by("village__code", "name"))
    result = []
    for industry in selectors.visible_industries(user).order_by("area__path", "id"):
        members = [e for e in enterprises if e.industry_id == industry.pk]
        result.append(
            {
                "id": industry.public_id,
                "name": industry.name,
                "area": industry.area.code,
                "description": industry.description,
                "jobs_for_lifted": sum(e.jobs_for_lifted for e in members),
                "linked_households": sum(e.linked_households for e in members),
                "enterprises": [enterprise_out(e) for e in members],
            }
        )
    return result


@router.get("/projects/enterprises", response=EnterprisePage, summary="经营主体列表")
def list_enterprises(request, params: Query[EnterpriseQuery]):
    qs = selectors.visible_enterprises(request_user(request))
    if params.village:
        qs = qs.filter(village__code=params.village)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [enterprise_out(e) for e in rows], "next_cursor": next_cursor}


@router.get("/projects/assets", response=AssetPage, summary="项目资产列表")
def list_assets(request, params: Query[AssetQuery]):
    qs = selectors.visible_assets(request_user(request))
    if params.asset_type:
        qs = qs.filter(asset_type=params.asset_type.value)
    if params.area:
        qs = qs.filter(project__area__path__contains=f"/{params.area}/")
    if params.year:
        qs = qs.filter(registered_on__year=params.year)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [asset_out(a) for a in rows], "next_cursor": next_cursor}


@router.get("/projects/assets/{public_id}", response=AssetOut, summary="项目资产详情")
def get_asset(request, public_id: str):
    """One asset with its yearly income records."""
    return asset_out(selectors.access_asset(request_user(request), public_id), incomes=True)
