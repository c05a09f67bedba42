"""交通补贴: one application per worker per year → verification → approval → payment batch.

Eligibility: an active member of an active 脱贫户 **or 监测户** (the national 一次性交通补助
covers "脱贫劳动力（含防止返贫监测对象）"; DOMAIN.md §6 names 脱贫 workers and treats
monitored people alike for jobs), who worked away ≥ ``transport_min_months`` months.
The amount comes from the settings table by destination, effective on ``applied_on``, and is
kept on the application.

Maker ≠ checker: the approver is neither the verifier nor the applicant's clerk.
"Paid" is derived, not written twice: an approved application is paid when its payment line
(``source_type``/``source_id``) sits in a batch marked paid (``selectors``).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.assistance.actions.loans import setting
from zhenwu.assistance.actions.payments import add_lines, do_open_batch
from zhenwu.assistance.choices import ApplicationStatus, Destination, PaymentKind, SettingKey
from zhenwu.assistance.models import PaymentLine, TransportApplication
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.registry.choices import HouseholdCategory, HouseholdStatus, PersonStatus

ELIGIBLE_CATEGORIES = (HouseholdCategory.LIFTED, HouseholdCategory.MONITORED)
AMOUNT_KEYS = {
    Destination.IN_COUNTY: SettingKey.TRANSPORT_IN_COUNTY,
    Destination.IN_PROVINCE: SettingKey.TRANSPORT_IN_PROVINCE,
    Destination.OUT_OF_PROVINCE: SettingKey.TRANSPORT_OUT_OF_PROVINCE,
}
TRANSPORT_SOURCE = "assistance.transportapplication"
MAX_MONTHS = 12


def _view(application: TransportApplication) -> dict:
    return {
        "household": application.household.number,
        "year": application.year,
        "destination": application.destination,
        "months_worked": application.months_worked,
        "amount": application.amount,
        "status": application.status,
    }


def subsidy_amount(village, destination: str, on: datetime.date):
    if destination not in AMOUNT_KEYS:
        raise DomainError("transport_destination")
    return setting(village, AMOUNT_KEYS[destination], on)


def _check_person(person, village, year: int, months_worked: int, on) -> None:
    household = person.household
    if person.status != PersonStatus.ACTIVE or household.status != HouseholdStatus.ACTIVE:
        raise DomainError("person_inactive")
    if household.category not in ELIGIBLE_CATEGORIES:
        raise DomainError("transport_ineligible")
    minimum = int(setting(village, SettingKey.TRANSPORT_MIN_MONTHS, on))
    if not minimum <= months_worked <= MAX_MONTHS:
        raise DomainError("transport_months", min=minimum)
    if TransportApplication.objects.filter(person=person, year=year).exists():
        raise DomainError("transport_duplicate", year=year)


@transaction.atomic
def do_apply_transport_subsidy(
    *,
    actor,
    person,
    year: int,
    destination: str,
    employer: str,
    months_worked: int,
    evidence: str,
    applied_on: datetime.date,
) -> TransportApplication:
    """申报 (Perm.EDIT_ASSISTANCE in the person's village)."""
    village = person.household.village
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, village, Perm.EDIT_ASSISTANCE)
    employer = (employer or "").strip()
    if not employer:
        raise DomainError("transport_employer_missing")
    if not 2000 <= int(year) <= applied_on.year:
        raise DomainError("transport_year")
    amount = subsidy_amount(village, destination, applied_on)
    _check_person(person, village, int(year), int(months_worked), applied_on)
    try:
        with transaction.atomic():
            application = TransportApplication.objects.create(
                person=person,
                household=person.household,
                year=int(year),
                destination=destination,
                employer=employer[:200],
                months_worked=int(months_worked),
                evidence=(evidence or "").strip()[:200],
                applied_on=applied_on,
                amount=amount,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # a concurrent application for the same person and year
        raise DomainError("transport_duplicate", year=year) from None
    audit.record(
        "assistance.transport_applied", actor=actor, obj=application, data=_view(application)
    )
    return application


def _locked(application, actor, perm: str, expected_version) -> TransportApplication:
    require_perm(actor, perm)
    require_area(actor, application.household.village, perm)
    locked = (
        TransportApplication.objects.select_for_update(of=("self",))
        .select_related("household__village")
        .get(pk=application.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise DomainError("conflict")
    return locked


def _move(application, locked, *, actor, to_status: str, event: str, data=None) -> None:
    before = locked.status
    locked.status, locked.updated_by = to_status, actor
    locked.version += 1
    locked.save(update_fields=["status", "rejection_reason", "updated_by", "version", "updated_at"])
    audit.record(
        f"assistance.transport_{event}",
        actor=actor,
        obj=locked,
        data={**_view(locked), "from": before, **(data or {})},
    )
    for name in ("status", "rejection_reason", "updated_by_id", "version"):
        setattr(application, name, getattr(locked, name))


@transaction.atomic
def do_verify_application(application, *, actor, expected_version=None):
    """核实 (Perm.PREPARE_PAYMENTS): submitted → verified."""
    locked = _locked(application, actor, Perm.PREPARE_PAYMENTS, expected_version)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError("illegal_transition")
    _move(application, locked, actor=actor, to_status=ApplicationStatus.VERIFIED, event="verified")
    return application


@transaction.atomic
def do_approve_application(application, *, actor, expected_version=None):
    """审批 (Perm.APPROVE_PAYMENTS): verified → approved, by someone other than the verifier
    (who is the last to have moved the row: only verification leads into "verified")."""
    locked = _locked(application, actor, Perm.APPROVE_PAYMENTS, expected_version)
    if locked.status != ApplicationStatus.VERIFIED:
        raise DomainError("illegal_transition")
    if actor.pk in (locked.updated_by_id, locked.created_by_id):
        raise DomainError("maker_is_checker")
    _move(application, locked, actor=actor, to_status=ApplicationStatus.APPROVED, event="approved")
    return application


@transaction.atomic
def do_reject_application(application, *, actor, reason: str, expected_version=None):
    """不予补贴: a submitted application by the verifier (PREPARE_PAYMENTS), a verified one
    by the approver (APPROVE_PAYMENTS)."""
    perm = (
        Perm.APPROVE_PAYMENTS
        if application.status == ApplicationStatus.VERIFIED
        else Perm.PREPARE_PAYMENTS
    )
    locked = _locked(application, actor, perm, expected_version)
    if locked.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED):
        raise DomainError("illegal_transition")
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_missing")
    locked.rejection_reason = text[:200]
    _move(
        application,
        locked,
        actor=actor,
        to_status=ApplicationStatus.REJECTED,
        event="rejected",
        data={"reason": text[:200]},
    )
    return application


@transaction.atomic
def do_build_transport_batch(area, year: int, *, actor):
    """The year's 交通补贴 batch (kind transport, period "2023") for ``area``'s subtree: one
    line per approved application; building again adds only the new ones."""
    require_perm(actor, Perm.PREPARE_PAYMENTS)
    require_area(actor, area, Perm.PREPARE_PAYMENTS)
    period = str(int(year))
    batch = do_open_batch(actor=actor, kind=PaymentKind.TRANSPORT, area=area, period=period)
    already = set(
        PaymentLine.objects.filter(
            kind=PaymentKind.TRANSPORT, period=period, reverses__isnull=True
        ).values_list("person_id", flat=True)
    )
    approved = (
        TransportApplication.objects.filter(
            year=int(year),
            status=ApplicationStatus.APPROVED,
            household__village__path__startswith=area.path,
        )
        .exclude(person_id__in=already)
        .select_related("person", "household")
        .order_by("id")
    )
    items = [
        {
            "person": application.person,
            "amount": application.amount,
            "note": _("%(year)s年交通补贴（%(destination)s）")
            % {"year": period, "destination": application.get_destination_display()},
            "source_type": TRANSPORT_SOURCE,
            "source_id": application.pk,
        }
        for application in approved
    ]
    if items:
        add_lines(batch, actor=actor, items=items)
    batch.refresh_from_db()
    return batch
