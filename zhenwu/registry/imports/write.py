"""Carry out a plan. The caller holds the one transaction.

New rows go in with ``executemany`` over the model's own field conversions
(``get_db_prep_save``, so encrypted fields are encrypted and dates adapted exactly as the ORM
does) but without the ORM's per-value SQL compilation: on 40,000 members that is about 2.5
times faster than ``bulk_create``, which matters for the demo build and large townships.
Updates are rare and use ``bulk_update``.
"""

from collections import defaultdict

from django.db import connections, models, router

from zhenwu.registry.imports.plan import Plan, chunks
from zhenwu.registry.models import Household, IncomeRecord, Person

BATCH = 500
INSERT_CHUNK = 2_000
BOOKKEEPING = {"version", "updated_by", "updated_at"}


def execute(plan: Plan) -> None:
    # Households first: new members and incomes point at their fresh primary keys.
    insert_rows(Household, plan.new_households)
    _load_primary_keys(plan.new_households)
    _bulk_update(Household, plan.changed_households)
    for person in plan.new_persons:
        person.household_id = person.household.pk
    for person, fields in plan.changed_persons:
        if "household" in fields:
            person.household_id = person.household.pk
    insert_rows(Person, plan.new_persons)
    _bulk_update(Person, plan.changed_persons)
    for record in plan.new_incomes:
        record.household_id = record.household.pk
    insert_rows(IncomeRecord, plan.new_incomes)
    _bulk_update(IncomeRecord, plan.changed_incomes)


def insert_rows(model: type[models.Model], objs: list[models.Model]) -> None:
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # Plain text columns need no conversion when the value already is a string.
    plain = [type(f) in (models.CharField, models.TextField) for f in fields]
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, never from input.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = []
    for obj in objs:
        row = []
        for field, is_plain in zip(fields, plain, strict=True):
            value = field.pre_save(obj, True)
            if not (is_plain and (value is None or isinstance(value, str))):
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    with connection.cursor() as cursor:
        for part in chunks(rows, INSERT_CHUNK):
            cursor.executemany(sql, part)


def _load_primary_keys(households: list[Household]) -> None:
    by_number = {h.number: h for h in households}
    for part in chunks(list(by_number)):
        for number, pk in Household.objects.filter(number__in=part).values_list("number", "pk"):
            household = by_number[number]
            household.pk = pk
            household._state.adding = False


def _bulk_update(model, changes: list[tuple[object, set[str]]]) -> None:
    """Rows that changed the same fields share one UPDATE statement per batch."""
    groups: dict[frozenset, list] = defaultdict(list)
    for obj, fields in changes:
        groups[frozenset(fields | BOOKKEEPING)].append(obj)
    for fields, objs in groups.items():
        model.objects.bulk_update(objs, sorted(fields), batch_size=BATCH)
