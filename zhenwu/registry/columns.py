"""Columns of the household workbook (农户信息导入模板). One definition serves the template
download, the importer, the exporter and the demo generator.

Sheets: 户信息 (one row per household), 成员信息 (one row per member, linked by 户编号),
收入信息 (optional; one row per household and year). Headers are matched after trimming
spaces and full-width characters; a trailing "*" in a template header marks a required column
and is ignored when matching.
"""

from dataclasses import dataclass

from django.db import models

from zhenwu.registry.choices import (
    Education,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    LiftedSubtype,
    MedicalInsurance,
    MonitoringCategory,
    PersonStatus,
    Relation,
    SchoolStatus,
    WorkPlace,
)

HOUSEHOLD_SHEET = "户信息"
MEMBER_SHEET = "成员信息"
INCOME_SHEET = "收入信息"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # text | choice | bool | date | int | money | id_number | risks | village
    required: bool = False
    choices: type[models.TextChoices] | None = None
    max_length: int | None = None
    example: str = ""


HOUSEHOLD_COLUMNS = [
    Column("户编号", "number", "text", True, max_length=32, example="360704101214001"),
    Column("行政村", "village", "village", True, example="螺田村"),
    Column("村民小组", "group_name", "text", max_length=50, example="第一组"),
    Column("自然村", "natural_village", "text", max_length=50, example="上屋"),
    Column("住址", "address", "text", max_length=200, example="沙地镇螺田村上屋12号"),
    Column("联系电话", "phone", "text", max_length=20, example="13807970001"),
    Column("户类型", "category", "choice", True, HouseholdCategory, example="脱贫户"),
    Column("脱贫年度", "lifted_year", "int", example="2016"),
    Column("脱贫户属性", "lifted_subtype", "choice", choices=LiftedSubtype, example="一般脱贫户"),
    Column("监测对象类别", "monitoring_category", "choice", choices=MonitoringCategory),
    Column("识别监测时间", "monitoring_since", "date"),
    Column("整户无劳动力", "no_labour", "bool", example="否"),
    Column("易地扶贫搬迁户", "relocated", "bool", example="否"),
    Column("安置点", "relocation_site", "text", max_length=100),
    Column("风险类型", "risks", "risks", example="因病、缺劳动力"),
    Column("户状态", "status", "choice", choices=HouseholdStatus, example="正常"),
    Column("备注", "note", "text", max_length=1000),
]

MEMBER_COLUMNS = [
    Column("户编号", "household_number", "text", True, max_length=32, example="360704101214001"),
    Column("姓名", "name", "text", True, max_length=50, example="张三丰"),
    Column("身份证号", "id_number", "id_number", True, example="360721196803051004"),
    Column("与户主关系", "relation", "choice", True, Relation, example="户主"),
    Column("民族", "ethnicity", "text", max_length=20, example="汉族"),
    Column("文化程度", "education", "choice", choices=Education, example="初中"),
    Column("在校生状况", "school_status", "choice", choices=SchoolStatus, example="非在校生"),
    Column("健康状况", "health", "choice", choices=Health, example="健康"),
    Column("残疾类别及等级", "disability", "text", max_length=50),
    Column("劳动技能", "labour_capacity", "choice", choices=LabourCapacity, example="普通劳动力"),
    Column("务工区域", "work_place", "choice", choices=WorkPlace, example="省外"),
    Column("务工时间（月）", "work_months", "int", example="10"),
    Column(
        "基本医疗保险",
        "medical_insurance",
        "choice",
        choices=MedicalInsurance,
        example="城乡居民基本医疗保险",
    ),
    Column("大病保险", "critical_illness_insurance", "bool", example="是"),
    Column("养老保险", "pension_insurance", "bool", example="是"),
    Column("享受低保", "receives_dibao", "bool", example="否"),
    Column("特困供养", "receives_tekun", "bool", example="否"),
    Column("联系电话", "phone", "text", max_length=20),
    Column("银行账号", "bank_account", "text", max_length=40),
    Column("成员状态", "status", "choice", choices=PersonStatus, example="正常"),
]

INCOME_COLUMNS = [
    Column("户编号", "household_number", "text", True, max_length=32, example="360704101214001"),
    Column("年度", "year", "int", True, example="2022"),
    Column("工资性收入", "wage_income", "money", example="36000"),
    Column("生产经营性收入", "business_income", "money", example="8000"),
    Column("财产性收入", "property_income", "money", example="500"),
    Column("转移性收入", "transfer_income", "money", example="3200"),
    Column("生产经营性支出", "production_cost", "money", example="2500"),
]

SHEETS = {
    HOUSEHOLD_SHEET: HOUSEHOLD_COLUMNS,
    MEMBER_SHEET: MEMBER_COLUMNS,
    INCOME_SHEET: INCOME_COLUMNS,
}
REQUIRED_SHEETS = (HOUSEHOLD_SHEET, MEMBER_SHEET)

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}
RISK_SEPARATORS = "、,，;；/ "
MAX_RISKS = 5
