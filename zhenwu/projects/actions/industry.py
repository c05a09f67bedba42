"""特色产业 and 经营主体 (enterprises, cooperatives, family farms, employment workshops).

An industry belongs to an area (usually the township); an enterprise sits in one village
and may belong to an industry of that village or of an area above it. Editing an enterprise
uses optimistic locking: the editor sends the version they started from."""

from django.db import IntegrityError, transaction
from django.db.models import F

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.projects.choices import EnterpriseKind
from zhenwu.projects.models import Enterprise, Industry

EDITABLE_FIELDS = ("name", "kind", "industry", "products", "jobs_for_lifted", "linked_households", "project")  # fmt: skip


def _count(value) -> int:
    if isinstance(value, bool):
        raise DomainError("enterprise_count_invalid")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("enterprise_count_invalid") from None
    if number < 0 or number > 1_000_000:
        raise DomainError("enterprise_count_invalid")
    return number


@transaction.atomic
def do_create_industry(*, actor, area, name: str, description: str = "") -> Industry:
    """设立特色产业 for an area (name unique per area)."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    require_area(actor, area, Perm.EDIT_PROJECTS)
    name = (name or "").strip()
    if not name:
        raise DomainError("industry_name_missing")
    if Industry.objects.filter(area=area, name=name).exists():
        raise DomainError("industry_duplicate", name=name)
    try:
        with transaction.atomic():
            industry = Industry.objects.create(
                area=area,
                name=name[:50],
                description=(description or "").strip(),
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:
        raise DomainError("industry_duplicate", name=name) from None
    audit.record(
        "projects.industry_created",
        actor=actor,
        obj=industry,
        data={"area": area.code, "name": name},
    )
    return industry


def _clean(village, values: dict) -> dict:
    """Checked enterprise fields (for create and update)."""
    cleaned = dict(values)
    cleaned["name"] = (values.get("name") or "").strip()[:100]
    if not cleaned["name"]:
        raise DomainError("enterprise_name_missing")
    if values.get("kind") not in EnterpriseKind.values:
        raise DomainError("enterprise_kind_invalid")
    industry = values.get("industry")
    if industry is not None and not village.path.startswith(industry.area.path):
        raise DomainError("enterprise_industry_outside_area")
    project = values.get("project")
    if project is not None and not (
        village.path.startswith(project.area.path) or project.area.path.startswith(village.path)
    ):
        raise DomainError("enterprise_project_outside_area")
    cleaned["products"] = (values.get("products") or "").strip()[:200]
    cleaned["jobs_for_lifted"] = _count(values.get("jobs_for_lifted", 0))
    cleaned["linked_households"] = _count(values.get("linked_households", 0))
    return cleaned


def _data(enterprise: Enterprise) -> dict:
    return {
        "village": enterprise.village.code,
        "name": enterprise.name,
        "kind": enterprise.kind,
        "industry": enterprise.industry.name if enterprise.industry_id else "",
        "products": enterprise.products,
        "jobs_for_lifted": enterprise.jobs_for_lifted,
        "linked_households": enterprise.linked_households,
        "project": enterprise.project.code if enterprise.project_id else "",
    }


@transaction.atomic
def do_create_enterprise(
    *,
    actor,
    village,
    name: str,
    kind: str,
    industry=None,
    products: str = "",
    jobs_for_lifted=0,
    linked_households=0,
    project=None,
) -> Enterprise:
    """登记经营主体 in a village."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    require_area(actor, village, Perm.EDIT_PROJECTS)
    if village.level != AreaLevel.VILLAGE:
        raise DomainError("enterprise_village_required")
    cleaned = _clean(
        village,
        {
            "name": name,
            "kind": kind,
            "industry": industry,
            "products": products,
            "jobs_for_lifted": jobs_for_lifted,
            "linked_households": linked_households,
            "project": project,
        },
    )
    enterprise = Enterprise.objects.create(
        village=village, created_by=actor, updated_by=actor, **cleaned
    )
    audit.record("projects.enterprise_created", actor=actor, obj=enterprise, data=_data(enterprise))
    return enterprise


@transaction.atomic
def do_update_enterprise(
    enterprise: Enterprise, *, actor, expected_version: int, changes: dict
) -> Enterprise:
    """Edit an enterprise; refused with ``conflict`` when someone saved it meanwhile."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    enterprise = (
        # Lock the enterprise row only: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer joins to industry and project.
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("village", "industry", "project")
        .get(pk=enterprise.pk)
    )
    require_area(actor, enterprise.village, Perm.EDIT_PROJECTS)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("enterprise_field_invalid")
    if enterprise.version != expected_version:
        raise DomainError("conflict")
    before = _data(enterprise)
    values = {field: getattr(enterprise, field) for field in EDITABLE_FIELDS}
    values.update(changes)
    cleaned = _clean(enterprise.village, values)
    updated = Enterprise.objects.filter(pk=enterprise.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=actor, **cleaned
    )
    if updated != 1:
        raise DomainError("conflict")
    enterprise.refresh_from_db()
    after = _data(enterprise)
    audit.record(
        "projects.enterprise_updated",
        actor=actor,
        obj=enterprise,
        data={
            "version": enterprise.version,
            "changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
        },
    )
    return enterprise
