"""Assistance reads, always through the scoping policy (accounts.policy). Fails closed:
``access_*`` raises ``NotFound`` for missing and out-of-scope records alike.

Shared by the parts of the assistance work: each part adds its own functions below."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch, Q, QuerySet

from zhenwu.accounts.policy import scope_paths, scoped
from zhenwu.accounts.roles import Perm
from zhenwu.assistance import rules
from zhenwu.assistance.choices import DEVELOPMENT_CATEGORIES, MeasureStatus
from zhenwu.assistance.models import (
    AssistancePlan,
    FollowUpVisit,
    Helper,
    HelperAssignment,
    Measure,
    Relocation,
    RelocationSite,
)
from zhenwu.core.errors import NotFound
from zhenwu.registry.choices import (
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    PersonStatus,
)
from zhenwu.registry.models import Household, IncomeRecord, Person

# --- helpers, plans, measures and warnings (一户一策) ---------------------------------------

LABOUR_CAPACITIES = (LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK)
TARGET_CATEGORIES = (HouseholdCategory.LIFTED, HouseholdCategory.MONITORED)
_LOOKUP_ERRORS = (ValueError, TypeError, ValidationError)


def _near_scope(qs: QuerySet, user, perm: str, area_field: str) -> QuerySet:
    """Rows whose area lies in the user's scope OR above it: a township's helpers and
    relocation sites serve every village below (they hold no household data)."""
    paths = scope_paths(user, perm)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        above = [path[: i + 1] for i, char in enumerate(path) if char == "/" and i > 0]
        condition |= Q(**{f"{area_field}__path__startswith": path})
        condition |= Q(**{f"{area_field}__path__in": above})
    return qs.filter(condition)


def visible_helpers(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[Helper]:
    return _near_scope(Helper.objects.select_related("area"), user, perm, "area")


def access_helper(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> Helper:
    try:
        return visible_helpers(user, perm).get(public_id=public_id)
    except (Helper.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def visible_helper_assignments(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet:
    qs = HelperAssignment.objects.select_related("helper", "household", "household__village")
    return scoped(qs, user, perm, "household__village")


def current_pairings(user, village=None) -> QuerySet[HelperAssignment]:
    """Current helper pairings in scope (one village when given), by village and number."""
    qs = visible_helper_assignments(user).filter(end_on__isnull=True)
    if village is not None:
        qs = qs.filter(household__village=village)
    return qs.order_by("household__village__code", "household__number")


def plan_household(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> Household:
    """A household whose plans the user may see (404 otherwise)."""
    try:
        return households_in_scope(user, perm).get(public_id=public_id)
    except (Household.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def households_in_scope(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[Household]:
    return scoped(Household.objects.select_related("village"), user, perm, "village")


def plan_households(user, *, village=None) -> QuerySet[Household]:
    """Active 脱贫户/监测户 in scope (one village when given): the households that have plans."""
    qs = households_in_scope(user).filter(
        category__in=TARGET_CATEGORIES, status=HouseholdStatus.ACTIVE
    )
    if village is not None:
        qs = qs.filter(village=village)
    return qs.order_by("village__code", "number")


def visible_plans(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[AssistancePlan]:
    qs = AssistancePlan.objects.select_related("household", "household__village")
    return scoped(qs, user, perm, "household__village")


def access_plan(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> AssistancePlan:
    try:
        return visible_plans(user, perm).get(public_id=public_id)
    except (AssistancePlan.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def visible_measures(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("plan", "household", "household__village", "person")
    return scoped(qs, user, perm, "household__village")


def access_measure(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> Measure:
    try:
        return visible_measures(user, perm).get(public_id=public_id)
    except (Measure.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def implemented_development_measures(household, on: datetime.date | None = None) -> int:
    """开发式帮扶 measures implemented for ``household`` (on or before ``on`` when given): the
    monitoring elimination criterion "≥1 development-type measure implemented"."""
    qs = Measure.objects.filter(
        household=household,
        status=MeasureStatus.IMPLEMENTED,
        category__in=list(DEVELOPMENT_CATEGORIES),
    )
    if on is not None:
        qs = qs.filter(implemented_on__lte=on)
    return qs.count()


def _with_warning_data(qs: QuerySet[Household]) -> QuerySet[Household]:
    """Prefetch what ``household_facts`` reads, so that a list costs a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch(
            "members",
            queryset=Person.objects.filter(status=PersonStatus.ACTIVE).only(
                "id", "household_id", "labour_capacity", "status"
            ),
            to_attr="warning_members",
        ),
        Prefetch(
            "measures",
            queryset=Measure.objects.only(
                "id", "household_id", "category", "status", "implemented_on"
            ),
            to_attr="warning_measures",
        ),
        Prefetch(
            "incomes",
            queryset=IncomeRecord.objects.order_by("-year").only(
                "id", "household_id", "year", "wage_income"
            ),
            to_attr="warning_incomes",
        ),
    )


def household_facts(household: Household, on: datetime.date) -> rules.HouseholdFacts:
    """Plain data for ``rules.check`` (from the prefetch of ``_with_warning_data``)."""
    if not hasattr(household, "warning_measures"):
        household = _with_warning_data(Household.objects.filter(pk=household.pk)).get()
    monitored = household.category == HouseholdCategory.MONITORED
    latest = household.warning_incomes[0] if household.warning_incomes else None
    return rules.HouseholdFacts(
        on=on,
        is_target=household.category in TARGET_CATEGORIES
        and household.status == HouseholdStatus.ACTIVE,
        has_labour=any(p.labour_capacity in LABOUR_CAPACITIES for p in household.warning_members),
        risks=tuple(household.risks or ()),
        monitoring_since=household.monitoring_since if monitored else None,
        measures=tuple(
            rules.MeasureFact(m.category, m.status, m.implemented_on)
            for m in household.warning_measures
        ),
        latest_wage_income=latest.wage_income if latest else None,
    )


def plan_warnings(household: Household, on: datetime.date) -> list[rules.Warning]:
    """The 帮扶预警 of one household on ``on`` (the caller already holds it in scope)."""
    return rules.check(household_facts(household, on))


def scope_warnings(user, on: datetime.date, *, village=None, code: str = "") -> tuple[list, dict]:
    """(rows, counts per code) for the target households in the user's scope: each row is
    (household, [warnings]). ``counts`` ignore the ``code`` filter, so the page can show them."""
    qs = plan_households(user, village=village)
    counts = dict.fromkeys(rules.WARNING_CODES, 0)
    rows = []
    for household in _with_warning_data(qs):
        warnings = plan_warnings(household, on)
        for warning in warnings:
            counts[warning.code] += 1
        if warnings and (not code or any(w.code == code for w in warnings)):
            rows.append((household, warnings))
    return rows, counts


# --- loans (小额信贷) and transport subsidies (交通补贴) -------------------------------------


def visible_loans(user, perm: str = "assistance.view"):
    from zhenwu.accounts.policy import scoped
    from zhenwu.assistance.models import Loan

    qs = Loan.objects.select_related("borrower", "household__village")
    return scoped(qs, user, perm, "household__village")


def access_loan(user, public_id, perm: str = "assistance.view"):
    from django.core.exceptions import ValidationError

    from zhenwu.assistance.models import Loan
    from zhenwu.core.errors import NotFound

    try:
        return visible_loans(user, perm).get(public_id=public_id)
    except (Loan.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def transport_paid_lines():
    """Lines of paid transport batches that have not been reversed: an application whose
    line is here is paid (已发放), derived rather than stored twice."""
    from zhenwu.assistance.actions.transport import TRANSPORT_SOURCE
    from zhenwu.assistance.choices import BatchStatus, PaymentKind
    from zhenwu.assistance.models import PaymentLine

    return PaymentLine.objects.filter(
        kind=PaymentKind.TRANSPORT,
        source_type=TRANSPORT_SOURCE,
        reverses__isnull=True,
        reversed_by__isnull=True,
        batch__status=BatchStatus.PAID,
    )


def visible_transport_applications(user, perm: str = "assistance.view"):
    """Scoped applications annotated with ``is_paid`` (see ``transport_paid_lines``)."""
    from django.db.models import Exists, OuterRef

    from zhenwu.accounts.policy import scoped
    from zhenwu.assistance.models import TransportApplication

    paid = transport_paid_lines().filter(source_id=OuterRef("pk"))
    qs = TransportApplication.objects.select_related("person", "household__village").annotate(
        is_paid=Exists(paid)
    )
    return scoped(qs, user, perm, "household__village")


def access_transport_application(user, public_id, perm: str = "assistance.view"):
    from django.core.exceptions import ValidationError

    from zhenwu.assistance.models import TransportApplication
    from zhenwu.core.errors import NotFound

    try:
        return visible_transport_applications(user, perm).get(public_id=public_id)
    except (TransportApplication.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


# --- payments (发放批次) and public-welfare jobs (公益性岗位) ----------------------------------


def visible_batches(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet:
    """Payment batches whose area lies in the user's scope (a village cadre sees the batches
    of their village, not the township's)."""
    from zhenwu.assistance.models import PaymentBatch

    return scoped(
        PaymentBatch.objects.select_related("area", "created_by", "approved_by"), user, perm, "area"
    )


def access_batch(user, public_id, perm: str = Perm.VIEW_ASSISTANCE):
    try:
        return visible_batches(user, perm).get(public_id=public_id)
    except (ObjectDoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def access_payment_line(user, public_id, perm: str = Perm.VIEW_ASSISTANCE):
    from zhenwu.assistance.models import PaymentLine

    qs = scoped(
        PaymentLine.objects.select_related("batch__area", "person"), user, perm, "batch__area"
    )
    try:
        return qs.get(public_id=public_id)
    except (ObjectDoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def visible_posts(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet:
    from zhenwu.assistance.models import PublicWelfarePost

    return scoped(PublicWelfarePost.objects.select_related("village"), user, perm, "village")


def access_post(user, public_id, perm: str = Perm.VIEW_ASSISTANCE):
    try:
        return visible_posts(user, perm).get(public_id=public_id)
    except (ObjectDoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def visible_job_assignments(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet:
    from zhenwu.assistance.models import JobAssignment

    qs = JobAssignment.objects.select_related("post__village", "person", "household")
    return scoped(qs, user, perm, "post__village")


def access_job_assignment(user, public_id, perm: str = Perm.VIEW_ASSISTANCE):
    try:
        return visible_job_assignments(user, perm).get(public_id=public_id)
    except (ObjectDoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def job_candidates(user, post, *, query: str = "", perm: str = Perm.EDIT_ASSISTANCE):
    """People of the post's village who could take a post: active members of 脱贫户/监测户
    without a current post (age and household limits are checked by the action)."""
    from zhenwu.assistance.choices import JobStatus
    from zhenwu.registry.selectors import person_match

    qs = (
        scoped(Person.objects.select_related("household"), user, perm, "household__village")
        .filter(
            household__village=post.village,
            household__category__in=TARGET_CATEGORIES,
            status=PersonStatus.ACTIVE,
        )
        .exclude(job_assignments__status=JobStatus.ACTIVE)
        .order_by("household__number", "id")
    )
    match = person_match(query)
    return qs.filter(match) if match is not None else qs


def attendance_sheet(user, village, first: datetime.date, perm: str = Perm.VIEW_ASSISTANCE):
    """考勤表 of a village and month: the assignments active that month, each with
    ``.record`` (its Attendance row or None)."""
    import calendar

    from zhenwu.assistance.models import Attendance

    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    assignments = list(
        visible_job_assignments(user, perm)
        .filter(post__village=village, start_on__lte=last)
        .exclude(end_on__lt=first)
        .order_by("post__post_type", "household__number", "id")
    )
    records = {
        row.assignment_id: row
        for row in Attendance.objects.filter(assignment__in=assignments, month=first)
    }
    for assignment in assignments:
        assignment.record = records.get(assignment.pk)
    return assignments


# --- relocation follow-up (易地搬迁后续扶持) ---------------------------------------------------


def visible_sites(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[RelocationSite]:
    return _near_scope(RelocationSite.objects.select_related("area"), user, perm, "area")


def access_site(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> RelocationSite:
    try:
        return visible_sites(user, perm).get(public_id=public_id)
    except (RelocationSite.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def visible_relocations(user, perm: str = Perm.VIEW_ASSISTANCE) -> QuerySet[Relocation]:
    qs = Relocation.objects.select_related("household", "household__village", "site")
    return scoped(qs, user, perm, "household__village")


def access_relocation(user, public_id, perm: str = Perm.VIEW_ASSISTANCE) -> Relocation:
    try:
        return visible_relocations(user, perm).get(public_id=public_id)
    except (Relocation.DoesNotExist, *_LOOKUP_ERRORS):
        raise NotFound() from None


def site_overview(user, site: RelocationSite) -> dict:
    """The site's relocated households in the user's scope, each with its latest visit, and
    the share of households with labour whose latest visit found ≥1 member employed
    (有劳动力的搬迁户至少一人就业). Households never visited are counted apart."""
    latest = FollowUpVisit.objects.order_by("-visited_on", "-id")
    relocations = list(
        visible_relocations(user)
        .filter(site=site)
        .prefetch_related(Prefetch("visits", queryset=latest, to_attr="ordered_visits"))
        .order_by("household__village__code", "household__number")
    )
    rows = [(r, r.ordered_visits[0] if r.ordered_visits else None) for r in relocations]
    with_labour = [visit for _r, visit in rows if visit is not None and visit.labour_members > 0]
    employed = sum(1 for visit in with_labour if visit.employed_members > 0)
    return {
        "rows": rows,
        "households": len(rows),
        "unvisited": sum(1 for _r, visit in rows if visit is None),
        "with_labour": len(with_labour),
        "employed": employed,
        "percent": round(100 * employed / len(with_labour)) if with_labour else None,
    }
