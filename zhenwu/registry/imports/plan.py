"""Rows + database → the problems across rows, and what to create and update.

Households are matched by 户编号, members by ID number (blind index), incomes by
(household, year). Only the columns present in the file are compared and written, so a file
without 备注 never wipes a note. Everything is loaded in bulk: no query per row.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.core.crypto import blind_index
from zhenwu.lib.masking import mask_id_number
from zhenwu.registry.choices import HouseholdCategory, PersonStatus, Relation
from zhenwu.registry.columns import HOUSEHOLD_SHEET, INCOME_SHEET, MEMBER_SHEET
from zhenwu.registry.identity import apply_id_number, apply_name
from zhenwu.registry.imports.issues import Issue
from zhenwu.registry.imports.sheets import ParsedRow, SheetRows
from zhenwu.registry.models import Household, IncomeRecord, Person

CHUNK = 900  # below SQLite's 999 bound parameters per statement
MAX_AUDITED_CHANGES = 200
NAME_FIELDS = {"name", "name_pinyin", "name_initials"}
INCOME_COMPONENTS = [
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "production_cost",
]


@dataclass
class Plan:
    new_households: list[Household] = field(default_factory=list)
    changed_households: list[tuple[Household, set[str]]] = field(default_factory=list)
    new_persons: list[Person] = field(default_factory=list)
    changed_persons: list[tuple[Person, set[str]]] = field(default_factory=list)
    new_incomes: list[IncomeRecord] = field(default_factory=list)
    changed_incomes: list[tuple[IncomeRecord, set[str]]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict:
        return {
            "households_created": len(self.new_households),
            "households_updated": len(self.changed_households),
            "persons_created": len(self.new_persons),
            "persons_updated": len(self.changed_persons),
            "incomes_written": len(self.new_incomes) + len(self.changed_incomes),
            "unchanged": self.unchanged,
        }

    def audited_changes(self) -> list[dict]:
        """Which records changed and which fields (values are not logged here)."""
        changes = [
            {"household": h.number, "fields": sorted(fields)}
            for h, fields in self.changed_households
        ]
        changes += [
            {"person": p.id_masked, "household": p.household.number, "fields": sorted(fields)}
            for p, fields in self.changed_persons
        ]
        return changes[:MAX_AUDITED_CHANGES]


class NameKeys:
    """apply_name once per distinct name: pinyin is the slowest step of a big import, and
    village ledgers repeat names a lot."""

    def __init__(self):
        self._keys: dict[str, tuple[str, str]] = {}

    def apply(self, person: Person, name: str) -> None:
        keys = self._keys.get(name)
        if keys is None:
            apply_name(person, name)
            self._keys[name] = (person.name_pinyin, person.name_initials)
        else:
            person.name = name
            person.name_pinyin, person.name_initials = keys


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Existing:
    """What the database already holds for the numbers and ID numbers in the file."""

    households: dict[str, Household] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)  # id_hash → person
    # Active members of existing households that the file does not list: household pk →
    # [(relation, status)]. They stay as they are and count for the 户主 check.
    others: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    incomes: dict[tuple[int, int], IncomeRecord] = field(default_factory=dict)


def load_existing(numbers: list[str], hashes: list[str], income_keys: bool) -> Existing:
    existing = Existing()
    for part in chunks(numbers):
        for household in Household.objects.filter(number__in=part).select_related("village"):
            existing.households[household.number] = household
    for part in chunks(hashes):
        persons = (
            Person.objects.filter(id_hash__in=part)
            .select_related("household", "household__village")
            .defer("id_number")
        )
        for person in persons:
            existing.persons[person.id_hash] = person
    household_ids = [h.pk for h in existing.households.values()]
    in_file = set(hashes)
    for part in chunks(household_ids):
        rows = Person.objects.filter(household_id__in=part).values_list(
            "household_id", "id_hash", "relation", "status"
        )
        for household_id, id_hash, relation, status in rows:
            if id_hash not in in_file:
                existing.others[household_id].append((relation, status))
        if income_keys:
            for record in IncomeRecord.objects.filter(household_id__in=part):
                existing.incomes[(record.household_id, record.year)] = record
    return existing


class Planner:
    """Checks across rows and against the database, then builds the plan."""

    def __init__(
        self,
        *,
        area: Area,
        actor,
        households: SheetRows,
        members: SheetRows,
        incomes: SheetRows | None,
        issues: list[Issue],
    ):
        self.area = area
        self.actor = actor
        self.households = households
        self.members = members
        self.incomes = incomes
        self.issues = issues
        self.file_households: dict[str, ParsedRow] = {}
        self.members_of: dict[str, list[ParsedRow]] = defaultdict(list)
        self.existing = Existing()
        self.foreign: set[str] = set()  # numbers registered outside the area

    def _issue(self, sheet: str, row: int | None, column: str, message, value: str = ""):
        self.issues.append(Issue(sheet, row, column, str(message), value))

    # --- checks ---------------------------------------------------------------------------

    def check(self) -> None:
        self._check_households()
        self._check_members()
        self._check_incomes()
        hashes = [row.values["_hash"] for row in self.members.rows if "_hash" in row.values]
        self.existing = load_existing(
            list(self.file_households), hashes, income_keys=self.incomes is not None
        )
        self._check_against_database()
        self._check_heads()

    def _check_households(self) -> None:
        for row in self.households.rows:
            number = row.values.get("number")
            if number is None:
                continue
            first = self.file_households.get(number)
            if first is not None:
                self._issue(
                    HOUSEHOLD_SHEET,
                    row.row,
                    "户编号",
                    _("户编号与第 %(row)s 行重复") % {"row": first.row},
                    number,
                )
                continue
            self.file_households[number] = row
            values = row.values
            if values.get("category") == HouseholdCategory.MONITORED and not values.get(
                "monitoring_category"
            ):
                self._issue(
                    HOUSEHOLD_SHEET,
                    row.row,
                    "监测对象类别",
                    _("户类型为监测户时必须填写监测对象类别"),
                )

    def _check_members(self) -> None:
        first_row_of: dict[str, int] = {}
        for row in self.members.rows:
            values = row.values
            number = values.get("household_number")
            if number is not None:
                if number not in self.file_households:
                    self._issue(
                        MEMBER_SHEET, row.row, "户编号", _("户编号在“户信息”表中不存在"), number
                    )
                else:
                    self.members_of[number].append(row)
            facts = values.get("id_number")
            if facts is None:
                continue
            id_hash = blind_index(facts.number)
            if id_hash in first_row_of:
                self._issue(
                    MEMBER_SHEET,
                    row.row,
                    "身份证号",
                    _("身份证号与第 %(row)s 行重复") % {"row": first_row_of[id_hash]},
                    mask_id_number(facts.number),
                )
                continue
            first_row_of[id_hash] = row.row
            values["_hash"] = id_hash

    def _check_incomes(self) -> None:
        if self.incomes is None:
            return
        seen: dict[tuple[str, int], int] = {}
        for row in self.incomes.rows:
            number, year = row.values.get("household_number"), row.values.get("year")
            if number is not None and number not in self.file_households:
                self._issue(
                    INCOME_SHEET, row.row, "户编号", _("户编号在“户信息”表中不存在"), number
                )
            if number is None or year is None:
                continue
            if (number, year) in seen:
                self._issue(
                    INCOME_SHEET,
                    row.row,
                    "年度",
                    _("该户该年度的收入与第 %(row)s 行重复") % {"row": seen[(number, year)]},
                    str(year),
                )
            seen.setdefault((number, year), row.row)

    def _check_against_database(self) -> None:
        for number, household in self.existing.households.items():
            if not household.village.is_within(self.area):
                self.foreign.add(number)
                row = self.file_households[number]
                self._issue(
                    HOUSEHOLD_SHEET,
                    row.row,
                    "户编号",
                    _("该户编号已登记在本次导入区域以外，不能在此导入"),
                    number,
                )
        for row in self.members.rows:
            person = self.existing.persons.get(row.values.get("_hash"))
            if person is not None and person.household.number not in self.file_households:
                self._issue(
                    MEMBER_SHEET,
                    row.row,
                    "身份证号",
                    _("该身份证号已登记在本文件以外的其他农户中，请先办理成员迁移"),
                    person.id_masked,
                )

    def _effective_status(self, row: ParsedRow) -> str | None:
        if "status" in self.members.present:
            return row.values.get("status")
        person = self.existing.persons.get(row.values.get("_hash"))
        return person.status if person is not None else PersonStatus.ACTIVE

    def _check_heads(self) -> None:
        for number, household_row in self.file_households.items():
            if number in self.foreign:
                continue  # already refused; its members are none of the importer's business
            rows = self.members_of.get(number, [])
            relations = [(row.values.get("relation"), self._effective_status(row)) for row in rows]
            if any(r is None or s is None for r, s in relations):
                continue  # a cell error in these rows was reported already
            household = self.existing.households.get(number)
            if household is not None:
                relations += self.existing.others.get(household.pk, [])
            heads = sum(1 for r, s in relations if r == Relation.HEAD and s == PersonStatus.ACTIVE)
            if heads != 1:
                self._issue(
                    HOUSEHOLD_SHEET,
                    household_row.row,
                    "户编号",
                    _("该户在册成员中有 %(count)s 名户主，应有且只有 1 名") % {"count": heads},
                    number,
                )

    # --- the plan --------------------------------------------------------------------------

    def build(self) -> Plan:
        plan = Plan()
        now = timezone.now()
        by_number = self._plan_households(plan, now)
        active = self._plan_persons(plan, by_number, now)
        if self.incomes is not None:
            self._plan_incomes(plan, by_number, active, now)
        return plan

    def _touch(self, obj, now) -> None:
        obj.version += 1
        obj.updated_by = self.actor
        obj.updated_at = now

    def _plan_households(self, plan: Plan, now) -> dict[str, Household]:
        by_number: dict[str, Household] = {}
        for number, row in self.file_households.items():
            values = {f: v for f, v in row.values.items() if f != "number"}
            household = self.existing.households.get(number)
            if household is None:
                household = Household(
                    number=number, created_by=self.actor, updated_by=self.actor, **values
                )
                plan.new_households.append(household)
            else:
                changed = _assign(household, values)
                if changed:
                    self._touch(household, now)
                    plan.changed_households.append((household, changed))
                else:
                    plan.unchanged += 1
            by_number[number] = household
        return by_number

    def _plan_persons(self, plan: Plan, by_number: dict[str, Household], now) -> Counter:
        """Returns the active member count per household number after the import."""
        skip = {"household_number", "id_number", "name", "_hash"}
        active: Counter = Counter()
        names = NameKeys()
        for row in self.members.rows:
            values = row.values
            number = values["household_number"]
            household = by_number[number]
            fields = {f: v for f, v in values.items() if f not in skip}
            person = self.existing.persons.get(values["_hash"])
            if person is None:
                person = Person(household=household, created_by=self.actor, updated_by=self.actor)
                names.apply(person, values["name"])
                apply_id_number(person, values["id_number"].number)
                _assign(person, fields)
                plan.new_persons.append(person)
            else:
                changed = _assign(person, fields)
                if person.name != values["name"]:
                    names.apply(person, values["name"])
                    changed |= NAME_FIELDS
                if person.household.number != number:
                    person.household = household
                    changed.add("household")
                if changed:
                    self._touch(person, now)
                    plan.changed_persons.append((person, changed))
                else:
                    plan.unchanged += 1
            if person.status == PersonStatus.ACTIVE:
                active[number] += 1
        for number, household in by_number.items():
            if household.pk is not None:
                others = self.existing.others.get(household.pk, [])
                active[number] += sum(1 for _r, s in others if s == PersonStatus.ACTIVE)
        return active

    def _plan_incomes(self, plan: Plan, by_number, active: Counter, now) -> None:
        for row in self.incomes.rows:
            values = row.values
            number, year = values["household_number"], values["year"]
            household = by_number[number]
            fields = {f: values[f] for f in INCOME_COMPONENTS if f in values}
            fields["member_count"] = max(active[number], 1)
            record = self.existing.incomes.get((household.pk, year)) if household.pk else None
            if record is None:
                record = IncomeRecord(
                    household=household,
                    year=year,
                    created_by=self.actor,
                    updated_by=self.actor,
                    **fields,
                )
                record.compute()
                plan.new_incomes.append(record)
                continue
            changed = _assign(record, fields)
            if changed:
                record.compute()
                self._touch(record, now)
                plan.changed_incomes.append(
                    (record, changed | {"net_income", "per_capita_net_income"})
                )
            else:
                plan.unchanged += 1


def _assign(obj, values: dict) -> set[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = set()
    for name, value in values.items():
        if name == "village":
            if obj.village_id != value.pk:
                obj.village = value
                changed.add(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed
