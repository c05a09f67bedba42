"""The downloadable template is generated from registry.columns and imports as it is."""

import io

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.registry.columns import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from zhenwu.registry.importer import import_households
from zhenwu.registry.template import build_template
from zhenwu.registry.tests.import_workbooks import isolated_home  # noqa: F401


def read(content: bytes):
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_headers_mark_required_columns_and_an_example_row_follows():
    book = read(build_template())
    assert book["户信息"][0] == [c.header + ("*" if c.required else "") for c in HOUSEHOLD_COLUMNS]
    assert book["成员信息"][0][:4] == ["户编号*", "姓名*", "身份证号*", "与户主关系*"]
    assert book["成员信息"][1][:4] == ["360704101214001", "张三丰", "360721196803051004", "户主"]
    assert len(book["成员信息"]) == 2 and len(MEMBER_COLUMNS) == len(book["成员信息"][0])


def test_instructions_list_the_allowed_values_of_each_choice_column():
    rows = read(build_template())["填写说明"]
    by_header = {(row[0], row[1]): row for row in rows if len(row) > 4 and row[1]}
    relation = by_header[("成员信息", "与户主关系")]
    assert relation[2] == "是"
    assert "户主、配偶、之子" in relation[4]
    assert "脱贫户" in by_header[("户信息", "户类型")][4]
    assert "因病" in by_header[("户信息", "风险类型")][4]
    assert by_header[("户信息", "整户无劳动力")][4] == "是、否"


@pytest.mark.usefixtures("isolated_home")
def test_the_template_with_its_example_rows_imports(luotian, township_officer):
    result = import_households(build_template(), area=luotian, actor=township_officer)
    assert result.ok, result.errors
    assert result.counts["households_created"] == 1 and result.counts["incomes_written"] == 1
