"""易地搬迁后续扶持: relocation sites, relocated households and follow-up visits.

Registering a relocation also marks the registry household (``relocated``, ``relocation_site``)
through ``registry.actions.do_update_household``, in the same transaction: the national-style
household record and its exports read those fields, so they must not drift from this ledger.
That call writes its own ``registry.household_updated`` audit row next to ours.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.assistance import selectors
from zhenwu.assistance.models import FollowUpVisit, Relocation, RelocationSite
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.registry.actions import do_update_household

CENT = Decimal("0.01")


@transaction.atomic
def do_create_site(*, actor, area, name: str, kind: str = "") -> RelocationSite:
    """A 安置点 in ``area`` (in the actor's scope)."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, area, Perm.EDIT_ASSISTANCE)
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid_site")
    site = RelocationSite.objects.create(
        area=area,
        name=name[:100],
        kind=(kind or "").strip()[:50],
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "assistance.site_created",
        actor=actor,
        obj=site,
        data={"area": area.code, "name": site.name, "kind": site.kind},
    )
    return site


@transaction.atomic
def do_register_relocation(household, site, *, actor, moved_on: datetime.date) -> Relocation:
    """The household moved to ``site`` on ``moved_on`` (once per household)."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, household.village, Perm.EDIT_ASSISTANCE)
    if not selectors.visible_sites(actor, Perm.EDIT_ASSISTANCE).filter(pk=site.pk).exists():
        raise DomainError("out_of_scope")
    if moved_on is None:
        raise DomainError("invalid_follow_up")
    if Relocation.objects.filter(household=household).exists():
        raise DomainError("already_relocated")
    try:
        with transaction.atomic():
            relocation = Relocation.objects.create(
                household=household,
                site=site,
                moved_on=moved_on,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:
        raise DomainError("already_relocated") from None
    if not household.relocated or household.relocation_site != site.name[:100]:
        do_update_household(
            household,
            actor=actor,
            expected_version=household.version,
            changes={"relocated": True, "relocation_site": site.name[:100]},
        )
    audit.record(
        "assistance.relocation_registered",
        actor=actor,
        obj=relocation,
        data={"household": household.number, "site": str(site.public_id), "moved_on": moved_on},
    )
    return relocation


def _income(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise DomainError("invalid_follow_up") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("invalid_follow_up")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def do_record_follow_up(
    relocation: Relocation,
    *,
    actor,
    visited_on: datetime.date,
    labour_members: int,
    employed_members: int,
    monthly_income,
    notes: str = "",
) -> FollowUpVisit:
    """A 后续扶持走访: how many labour members, how many employed, the monthly income."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, relocation.household.village, Perm.EDIT_ASSISTANCE)
    counts = (labour_members, employed_members)
    if visited_on is None or any(not isinstance(n, int) or n < 0 or n > 99 for n in counts):
        raise DomainError("invalid_follow_up")
    if employed_members > labour_members:
        raise DomainError("invalid_follow_up")
    visit = FollowUpVisit.objects.create(
        relocation=relocation,
        visited_on=visited_on,
        labour_members=labour_members,
        employed_members=employed_members,
        monthly_income=_income(monthly_income),
        notes=(notes or "").strip()[:2000],
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "assistance.follow_up_recorded",
        actor=actor,
        obj=visit,
        data={
            "household": relocation.household.number,
            "visited_on": visited_on,
            "labour_members": labour_members,
            "employed_members": employed_members,
        },
    )
    return visit
