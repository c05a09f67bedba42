"""The screening run end to end on the test database: personas' households, department
records pushed through the real import, hits with inputs and params, clues, re-run, dedup."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.clues import do_report_clue
from zhenwu.monitoring.actions.department import import_department_rows
from zhenwu.monitoring.engine.runner import request_screening, run_screening
from zhenwu.monitoring.models import Clue, PolicyParameter, RuleHit, RuleRun
from zhenwu.monitoring.parameters import load_parameters_csv
from zhenwu.registry.models import Person

JUNE = datetime.date(2023, 6, 1)


@pytest.fixture
def parameters(world):
    load_parameters_csv()


@pytest.fixture
def department_data(luotian_household, makou_household, shadi, township_officer, parameters):
    """李秀英 (脱贫户) paid 12,000 out of pocket; 张小明 (11) dropped out; 王五's house is D;
    赵六 has no basic medical insurance; an old 2022-05 record falls outside the window."""
    people = {
        p.name: p for p in Person.objects.filter(household__in=[luotian_household, makou_household])
    }
    Person.objects.filter(pk=people["赵六"].pk).update(medical_insurance="none")

    def push(department, rows):
        result = import_department_rows(
            rows, department=department, area=shadi, period=JUNE, actor=township_officer
        )
        assert result.ok, result.errors

    push(
        "medical_insurance",
        [
            {
                "id_number": people["李秀英"].id_number,
                "name": "李秀英",
                "month": "2023-02",
                "total": "30000",
                "amount": "7000",
            },
            {
                "id_number": people["李秀英"].id_number,
                "name": "李秀英",
                "month": "2023-05",
                "total": "9000",
                "amount": "5000",
            },
            {
                "id_number": people["张三丰"].id_number,
                "name": "张三丰",
                "month": "2022-05",
                "total": "90000",
                "amount": "50000",
            },
        ],
    )
    push(
        "education",
        [
            {
                "id_number": people["张小明"].id_number,
                "name": "张小明",
                "month": "2023-03",
                "kind": "辍学",
            },
        ],
    )
    push(
        "housing",
        [
            {
                "id_number": people["王五"].id_number,
                "name": "王五",
                "month": "2023-04",
                "kind": "D",
            },
        ],
    )
    return people


def hit_keys(run):
    return sorted(
        (h.rule_code, h.person.name if h.person else h.household.number)
        for h in run.hits.select_related("person", "household")
    )


def test_a_run_stores_hits_with_inputs_and_params_and_files_clues(
    department_data, shadi, township_officer, luotian_household, makou_household
):
    run = run_screening(shadi, JUNE, actor=township_officer)
    assert run.status == "succeeded" and run.persons_count == 5
    assert hit_keys(run) == [
        ("child_not_enrolled", "张小明"),
        ("house_grade_cd", "王五"),
        ("medical_oop_lifted", "李秀英"),
        ("no_basic_medical_insurance", "赵六"),
    ]
    medical = run.hits.get(rule_code="medical_oop_lifted")
    assert medical.inputs == {"oop_12m": 12000.0, "threshold": 9500.0}
    assert medical.params == {"medical_ratio_lifted": 0.5, "rural_disposable_income": 19000.0}
    assert medical.rule_version == 1 and medical.risk_type == "illness"
    assert run.hits.get(rule_code="child_not_enrolled").inputs["age"] == 11

    clues = Clue.objects.filter(channel="department").order_by("household__number")
    assert [c.household for c in clues] == [luotian_household, makou_household]
    assert sorted(clues[0].risk_types) == ["illness", "schooling"]
    assert sorted(clues[1].risk_types) == ["illness", "unsafe_housing"]
    assert clues[0].rule_hit.run == run and clues[0].reported_on == datetime.date(2023, 6, 30)
    assert "脱贫人口医疗自付超标" in clues[0].description
    assert run.clues_created == 2 and run.hits_count == 4
    assert AuditEvent.objects.filter(event="monitoring.screening_run").count() == 1


def test_a_rerun_replaces_the_slice(department_data, shadi, township_officer):
    first = run_screening(shadi, JUNE, actor=township_officer)
    second = run_screening(shadi, JUNE, actor=township_officer)
    assert not RuleRun.objects.filter(pk=first.pk).exists()
    assert RuleRun.objects.filter(area=shadi, period=JUNE).count() == 1
    assert RuleHit.objects.count() == 4 == second.hits_count
    assert Clue.objects.filter(channel="department").count() == 2
    assert set(Clue.objects.values_list("rule_hit__run", flat=True)) == {second.pk}


def test_a_clue_in_progress_survives_a_rerun_and_blocks_a_duplicate(
    department_data, shadi, township_officer, makou_household, makou
):
    run_screening(shadi, JUNE, actor=township_officer)
    clue = Clue.objects.get(household=makou_household)
    Clue.objects.filter(pk=clue.pk).update(status="verifying")
    again = run_screening(shadi, JUNE, actor=township_officer)
    assert Clue.objects.filter(pk=clue.pk).exists()
    assert again.clues_created == 1 and again.duplicates == 1


def test_dedup_against_an_open_clue(
    department_data, shadi, township_officer, makou_household, makou
):
    do_report_clue(
        actor=township_officer,
        village=makou,
        channel="cadre_screening",
        reported_on=datetime.date(2023, 6, 2),
        household=makou_household,
    )
    run = run_screening(shadi, JUNE, actor=township_officer)
    assert run.clues_created == 1 and run.duplicates == 1
    assert Clue.objects.filter(household=makou_household).count() == 1


def test_a_village_run_covers_only_the_village(department_data, luotian, township_officer):
    run = run_screening(luotian, JUNE, actor=township_officer)
    assert {h.household.village_id for h in run.hits.all()} == {luotian.pk}


def test_monitored_households_get_hits_but_no_new_clue(
    department_data, shadi, township_officer, makou_household
):
    makou_household.monitoring_category = "100A03002"
    makou_household.risk_status = "unresolved"
    makou_household.save()
    run = run_screening(shadi, JUNE, actor=township_officer)
    assert run.already_monitored == 1 and run.clues_created == 1
    assert run.hits.filter(household=makou_household).exists()


def test_a_village_cadre_cannot_run_screening(shadi, luotian, luotian_cadre, parameters):
    with pytest.raises(DomainError) as raised:
        run_screening(luotian, JUNE, actor=luotian_cadre)
    assert raised.value.code == "permission_denied"
    assert not RuleRun.objects.exists()
    denied = AuditEvent.objects.get(event="monitoring.screening_run")
    assert denied.outcome == "denied" and denied.object_id == luotian.code


def test_a_missing_parameter_fails_the_run(shadi, township_officer, luotian_household):
    with pytest.raises(DomainError) as raised:
        run_screening(shadi, JUNE, actor=township_officer)
    assert raised.value.code == "parameter_missing"
    assert RuleRun.objects.get().status == "failed"
    assert not PolicyParameter.objects.exists()


def test_requested_run_executes_in_the_task(department_data, shadi, township_officer):
    from zhenwu.monitoring.tasks import screening_run

    run = request_screening(shadi, JUNE, actor=township_officer)
    assert run.status == "pending"
    screening_run.call(run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded" and run.hits_count == 4


def test_the_screen_command(department_data, shadi, township_officer):
    out = StringIO()
    call_command(
        "screen", "--area", "沙地镇", "--period", "2023-06", "--user", "township", stdout=out
    )
    assert "命中 4 条" in out.getvalue() and "新增线索 2 条" in out.getvalue()
    out = StringIO()
    call_command("screen", "--area", "沙地镇", "--period", "2023-06", stdout=out)
    assert "未指定 --user" in out.getvalue()
    assert RuleRun.objects.count() == 1
