"""Registry pages: household list and search, household and member detail, create/edit
forms, income and rigid-expense records, and the audited reveal of a full value.

Thin by design: reads through ``registry.selectors`` (scoped, ``NotFound`` → 404), writes
through ``registry.actions`` (permission, area, audit). Templates receive display rows built
here, so a sensitive value the user may not see is never in the page at all (SECURITY.md 4).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import area_in_scope, has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core import audit
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.lib.ids import age_on
from zhenwu.lib.masking import mask_bank_account, mask_phone
from zhenwu.registry import actions, selectors
from zhenwu.registry.choices import PersonStatus, Relation, RiskType
from zhenwu.registry.forms import (
    HOUSEHOLD_FORM_FIELDS,
    INCOME_COMPONENTS,
    HouseholdFilterForm,
    HouseholdForm,
    IncomeForm,
    PersonForm,
    RevealForm,
    RigidExpenseForm,
)
from zhenwu.registry.history import change_history, display_value
from zhenwu.registry.models import Household, IncomeRecord, Person

PAGE_SIZE = 50
LIST_MEMBER_FIELDS = ("id", "household_id", "name", "relation", "status")

# Where an action's error belongs in a form.
ERROR_FIELDS = {
    "invalid_id_number": "id_number",
    "duplicate_id_number": "id_number",
    "out_of_scope": "village",
    "area_level": "village",
}
ID_REASONS = {
    "length": _("应为18位"),
    "format": _("前17位须为数字，末位为数字或X"),
    "checksum": _("校验位不正确"),
    "birth_date": _("出生日期无效"),
}


# --- helpers ---------------------------------------------------------------------------


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _household_or_404(user, public_id, perm: str = Perm.VIEW_REGISTRY) -> Household:
    try:
        return selectors.access_household(user, public_id, perm)
    except NotFound:
        raise Http404 from None


def _person_or_404(user, public_id, perm: str = Perm.VIEW_REGISTRY) -> Person:
    try:
        return selectors.access_person(user, public_id, perm)
    except NotFound:
        raise Http404 from None


def _villages_in_scope(user, perm: str):
    """Current villages inside the user's scope for ``perm`` (filter and form choices)."""
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level=AreaLevel.VILLAGE)).order_by("code")


def _apply_error(form, error: Exception) -> None:
    """Show an action's refusal next to the field it concerns."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return
    if error.code == "permission_denied":
        raise PermissionDenied
    if error.code == "not_found":
        raise Http404
    message = error.message
    reason = error.params.get("reason")
    if reason in ID_REASONS:
        message = _("%(message)s（%(detail)s）") % {
            "message": message,
            "detail": ID_REASONS[reason],
        }
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, message)


# --- display rows (only what the user may see) -------------------------------------------


def _member_row(person: Person, today: datetime.date, *, sensitive: bool) -> dict:
    row = {
        "public_id": person.public_id,
        "name": person.name,
        "relation": person.get_relation_display(),
        "sex": person.get_sex_display(),
        "age": age_on(person.birth_date, today),
        "id_masked": person.id_masked,
        "phone_masked": mask_phone(person.phone),
        "status": person.get_status_display(),
        "is_active": person.status == PersonStatus.ACTIVE,
    }
    if sensitive:
        row["health"] = person.get_health_display() if person.health else ""
        row["disability"] = person.disability
        row["labour"] = person.get_labour_capacity_display()
    return row


def _household_row(household: Household) -> dict:
    members = household.active_list
    head = next((p for p in members if p.relation == Relation.HEAD), None)
    return {
        "public_id": household.public_id,
        "number": household.number,
        "head_name": head.name if head else "",
        "village": household.village.name,
        "category": household.get_category_display(),
        "member_count": len(members),
        "phone_masked": mask_phone(household.phone),
        "cancelled": household.status != "active",
    }


# --- list and search ---------------------------------------------------------------------


@login_required
def household_list(request):
    user = request.user
    _require(user, Perm.VIEW_REGISTRY)
    form = HouseholdFilterForm(
        request.GET or None, villages=_villages_in_scope(user, Perm.VIEW_REGISTRY)
    )
    form.is_valid()  # an invalid field drops out of cleaned_data; the others still apply
    params = getattr(form, "cleaned_data", {})
    query = params.get("q", "")
    keys = ("village", "category", "status", "monitoring_category", "risk", "monitored", "area")
    filters = {key: params.get(key, "") for key in keys}
    after = params.get("after", "")
    searching = bool(query or any(filters.values()) or "area" in form.errors)
    qs = selectors.search_households(user, query=query, filters=filters)  # audits a search
    if "area" in form.errors:
        qs = qs.none()  # a link's area that does not parse lists nothing, never everything
    households, has_next = _keyset_page(qs, after)
    total = None
    if searching:
        # Only filtered searches are counted (never the whole table on every page).
        total = len(households) if not (after or has_next) else qs.count()
    context = {
        "form": form,
        "rows": [_household_row(h) for h in households],
        "next_after": households[-1].number if has_next else "",
        "is_first_page": not after,
        "searching": searching,
        "total": total,
        "area_name": _area_name(filters.get("area")),
        "query_string": _query_without_after(request),
        "can_create": has_perm(user, Perm.EDIT_REGISTRY),
    }
    is_htmx = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "registry/_household_results.html" if is_htmx else "registry/household_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if is_htmx and selectors.query_kind(query) == "id_number":
        response["HX-Push-Url"] = "false"  # keep a typed ID number out of browser history
    return response


def _area_name(code: str) -> str:
    area = current().filter(code=code).first() if code else None
    return area.name if area else ""


def _keyset_page(qs, after: str) -> tuple[list[Household], bool]:
    """One page ordered by household number, starting after ``after``: no OFFSET, no COUNT."""
    page_qs = qs.order_by("number").prefetch_related(
        Prefetch(
            "members",
            queryset=Person.objects.filter(status=PersonStatus.ACTIVE).only(*LIST_MEMBER_FIELDS),
            to_attr="active_list",
        )
    )
    if after:
        page_qs = page_qs.filter(number__gt=after)
    households = list(page_qs[: PAGE_SIZE + 1])
    return households[:PAGE_SIZE], len(households) > PAGE_SIZE


def _query_without_after(request) -> str:
    params = request.GET.copy()
    params.pop("after", None)
    return params.urlencode()


# --- detail pages ------------------------------------------------------------------------


@login_required
def household_detail(request, public_id):
    user = request.user
    household = _household_or_404(user, public_id)
    sensitive = area_in_scope(user, household.village, Perm.VIEW_SENSITIVE)
    deferred = ["id_number", "bank_account"] + ([] if sensitive else ["health", "disability"])
    members = sorted(
        household.members.defer(*deferred), key=lambda p: (p.relation != Relation.HEAD, p.id)
    )
    audit.record(
        "registry.household_viewed",
        actor=user,
        obj=household,
        data={"members": [str(p.public_id) for p in members]},
    )
    today = datetime.date.today()
    head = next((p for p in members if p.relation == Relation.HEAD and p.status == "active"), None)
    context = {
        "household": household,
        "head_name": head.name if head else "",
        "phone_masked": mask_phone(household.phone),
        "risks": _risk_labels(household.risks),
        "members": [_member_row(p, today, sensitive=sensitive) for p in members],
        "sensitive": sensitive,
        "incomes": list(household.incomes.all()) if sensitive else [],
        "expenses": list(household.rigid_expenses.select_related("person")) if sensitive else [],
        "history": change_history([household, *members], sensitive=sensitive),
        "can_edit": area_in_scope(user, household.village, Perm.EDIT_REGISTRY),
        "can_reveal": area_in_scope(user, household.village, Perm.REVEAL_IDENTITY),
    }
    return render(request, "registry/household_detail.html", context)


def _risk_labels(risks) -> list[str]:
    labels = dict(RiskType.choices)
    return [str(labels.get(code, code)) for code in risks or []]


@login_required
def person_detail(request, public_id):
    user = request.user
    person = _person_or_404(user, public_id)
    village = person.household.village
    sensitive = area_in_scope(user, village, Perm.VIEW_SENSITIVE)
    bank = area_in_scope(user, village, Perm.VIEW_BANK)
    audit.record("registry.person_viewed", actor=user, obj=person)
    row = _member_row(person, datetime.date.today(), sensitive=sensitive)
    context = {
        "person": person,
        "row": row,
        "sensitive": sensitive,
        "bank_masked": mask_bank_account(person.bank_account) if bank else None,
        "history": change_history([person], sensitive=sensitive),
        "can_edit": area_in_scope(user, village, Perm.EDIT_REGISTRY),
        "can_reveal": area_in_scope(user, village, Perm.REVEAL_IDENTITY),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_reveal(request, public_id):
    """Full ID number, phone or bank account, once, after a typed reason (audited)."""
    user = request.user
    person = _person_or_404(user, public_id)
    village = person.household.village
    if not area_in_scope(user, village, Perm.REVEAL_IDENTITY):
        raise PermissionDenied
    choices = [("id_number", _("身份证号")), ("phone", _("联系电话"))]
    if area_in_scope(user, village, Perm.VIEW_BANK):
        choices.append(("bank_account", _("银行账号")))
    form = RevealForm(request.POST or None, fields=choices)
    context = {"person": person, "form": form}
    if request.method == "POST" and form.is_valid():
        field = form.cleaned_data["field"]
        try:
            value = actions.do_reveal(
                person, actor=user, field=field, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            context.update(revealed=value, revealed_label=dict(choices)[field])
    response = render(request, "registry/person_reveal.html", context)
    add_never_cache_headers(response)  # the full value must not stay in any cache
    return response


# --- create and edit ---------------------------------------------------------------------


def _household_initial(household: Household) -> dict:
    initial = {name: getattr(household, name) for name in HOUSEHOLD_FORM_FIELDS if name != "phone"}
    initial.update(village=household.village.code, risks=household.risks, version=household.version)
    return initial


@login_required
def household_create(request):
    user = request.user
    _require(user, Perm.EDIT_REGISTRY)
    form = HouseholdForm(
        request.POST or None, villages=_villages_in_scope(user, Perm.EDIT_REGISTRY)
    )
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.do_create_household(
                actor=user, village=form.cleaned_data["village"], data=form.changes()
            )
        except (DomainError, ValidationError) as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("农户已建立，请继续添加家庭成员。"))
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(request, "registry/household_form.html", {"form": form, "household": None})


@login_required
def household_edit(request, public_id):
    user = request.user
    household = _household_or_404(user, public_id, Perm.EDIT_REGISTRY)
    villages = _villages_in_scope(user, Perm.EDIT_REGISTRY)
    form = HouseholdForm(
        request.POST or None,
        initial=_household_initial(household),
        villages=villages,
        household=household,
    )
    form.fields["version"].required = True
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_household(
                household,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                village=form.cleaned_data["village"],
            )
        except DomainError as error:
            if error.code != "conflict":
                _apply_error(form, error)
            else:
                current_household = _household_or_404(user, public_id, Perm.EDIT_REGISTRY)
                conflict = _conflict(form, current_household, error)
                status = 409
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("农户信息已保存。"))
            return redirect("registry:household_detail", public_id=household.public_id)
    context = {"form": form, "household": household, "conflict": conflict}
    return render(request, "registry/household_form.html", context, status=status)


def _conflict(form, current_record, error: DomainError) -> dict:
    """Keep the user's input, list the values someone else saved meanwhile, and carry the
    new version so that a deliberate second submit applies the user's input."""
    differences = []
    for name, value in form.cleaned_data.items():
        if name == "version" or name in form.replace_only:
            continue
        stored = getattr(current_record, name, None)
        if name == "village":
            stored, value = current_record.village.code, value.code if value else None
        if stored != value:
            differences.append((form.fields[name].label, display_value(current_record, name)))
    data = form.data.copy()
    data["version"] = str(current_record.version)
    form.data = data
    return {"message": error.message, "differences": differences}


def _person_initial(person: Person, form: PersonForm) -> dict:
    initial = {
        name: getattr(person, name)
        for name in form.fields
        if name not in form.replace_only and name not in {"version", "id_number"}
    }
    initial["version"] = person.version
    return initial


def _person_form(request, user, village, person=None) -> PersonForm:
    return PersonForm(
        request.POST or None,
        person=person,
        show_sensitive=area_in_scope(user, village, Perm.VIEW_SENSITIVE),
        show_bank=area_in_scope(user, village, Perm.VIEW_BANK),
    )


@login_required
def person_add(request, public_id):
    user = request.user
    household = _household_or_404(user, public_id, Perm.EDIT_REGISTRY)
    form = _person_form(request, user, household.village)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_person(
                household,
                actor=user,
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"],
                data=form.changes(),
            )
        except (DomainError, ValidationError) as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("成员已添加。"))
            return redirect("registry:household_detail", public_id=household.public_id)
    context = {"form": form, "household": household, "person": None}
    return render(request, "registry/person_form.html", context)


@login_required
def person_edit(request, public_id):
    user = request.user
    person = _person_or_404(user, public_id, Perm.EDIT_REGISTRY)
    household = person.household
    form = _person_form(request, user, household.village, person)
    form.fields["version"].required = True
    if not form.is_bound:
        form.initial = _person_initial(person, form)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_person(
                person,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                name=form.cleaned_data["name"],
                id_number=form.new_id_number(),
            )
        except DomainError as error:
            if error.code != "conflict":
                _apply_error(form, error)
            else:
                conflict = _conflict(form, _person_or_404(user, public_id), error)
                status = 409
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("成员信息已保存。"))
            return redirect("registry:person_detail", public_id=person.public_id)
    context = {"form": form, "household": household, "person": person, "conflict": conflict}
    return render(request, "registry/person_form.html", context, status=status)


def _sensitive_editable_household(user, public_id) -> Household:
    """Incomes and expenses are sensitive: editing them needs seeing them."""
    household = _household_or_404(user, public_id, Perm.EDIT_REGISTRY)
    if not area_in_scope(user, household.village, Perm.VIEW_SENSITIVE):
        raise PermissionDenied
    return household


@login_required
def income_record(request, public_id):
    user = request.user
    household = _sensitive_editable_household(user, public_id)
    initial = {}
    year = request.GET.get("year", "")
    if year.isdigit():
        existing = IncomeRecord.objects.filter(household=household, year=int(year)).first()
        if existing is not None:
            initial = {name: getattr(existing, name) for name in IncomeForm.base_fields}
            initial.update({f: getattr(existing, f) for f in INCOME_COMPONENTS})
    form = IncomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_income(
                household,
                actor=user,
                year=form.cleaned_data["year"],
                components=form.components(),
                member_count=form.cleaned_data["member_count"],
            )
        except (DomainError, ValidationError) as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("年度收入已登记。"))
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(request, "registry/income_form.html", {"form": form, "household": household})


@login_required
def expense_record(request, public_id):
    user = request.user
    household = _sensitive_editable_household(user, public_id)
    members = household.members.only("id", "public_id", "name", "household_id")
    form = RigidExpenseForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_rigid_expense(
                household,
                actor=user,
                month=data["month"],
                kind=data["kind"],
                amount=data["amount"],
                person=data["person"],
                note=data["note"],
            )
        except (DomainError, ValidationError) as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("刚性支出已登记。"))
            return redirect("registry:household_detail", public_id=household.public_id)
    return render(request, "registry/expense_form.html", {"form": form, "household": household})
