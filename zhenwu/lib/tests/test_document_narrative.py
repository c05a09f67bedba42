"""The narrative template language (lib.document.narrative)."""

import pytest

from zhenwu.lib.document.model import Figure
from zhenwu.lib.document.narrative import TemplateError, check, render


def fig(key, value, text=None, has_data=True):
    return Figure(key, key, text if text is not None else str(value), value, f"/{key}/", has_data)


CONTEXT = {
    "town": "沙地镇",
    "loans": fig("loans", 105, "105人"),
    "zero": fig("zero", 0, "0个"),
    "nodata": fig("nodata", 0, "暂无数据", has_data=False),
    "pair": fig("pair", (18, 84), "18户84人"),
    "projects": ["甲项目", fig("p1", 1, "实施中"), "、乙项目"],
    "empty": [],
    "flag": True,
}


def text_of(runs):
    return "".join(run.text if isinstance(run, Figure) else run for run in runs)


def test_placeholders_become_figures_and_text():
    runs = render("{town}发放贷款{loans}。", CONTEXT)
    assert runs == ["沙地镇发放贷款", CONTEXT["loans"], "。"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{如有 loans}有{loans}{否则}无{结束}", "有105人"),
        ("{如有 zero}有{否则}无{zero}{结束}", "无0个"),
        ("{如有 nodata}有{否则}无：{nodata}{结束}", "无：暂无数据"),
        ("{如无 loans}无{否则}有{结束}", "有"),
        ("{如有 pair}新识别{pair}{结束}", "新识别18户84人"),
        ("{如有 empty}有{否则}没有{结束}", "没有"),
        ("{如有 projects}推进{projects}{结束}", "推进甲项目实施中、乙项目"),
        ("{如有 loans}{如有 flag}甲{否则}乙{结束}{结束}", "甲"),
        ("{如有 zero}甲{结束}", ""),
        ("{如有\u3000loans}全角空格{结束}", "全角空格"),
        ("写{{花括号}}", "写{花括号}"),
    ],
)
def test_conditions(template, expected):
    assert text_of(render(template, CONTEXT)) == expected


def test_line_breaks_are_for_the_editor_only():
    template = "第一句。\n    第二句{loans}；\n第三句。\n"
    assert text_of(render(template, CONTEXT)) == "第一句。第二句105人；第三句。"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("第一行\n{未知}", "第2行：无法识别的标记 {未知}。"),
        ("第一行\n第二行{missing}", "第2行：未知的占位符 {missing}。"),
        ("{如有 loans}有", "第1行：{如有 loans} 没有对应的 {结束}。"),
        ("甲\n{否则}", "第2行：{否则} 前面没有对应的 {如有 …}。"),
        ("甲\n乙\n{结束}", "第3行：{结束} 前面没有对应的 {如有 …}。"),
        ("贷款{loans", "第1行：“{”没有对应的“}”（要写花括号本身请用“{{”）。"),
        ("贷款}", "第1行：多余的“}”（要写花括号本身请用“}}”）。"),
        ("{如有}甲{结束}", "第1行：{如有} 后面要写占位符名称。"),
        ("{如有 两个 词}甲{结束}", "第1行：{如有} 后面要写占位符名称。"),
        ("{如有 loans}甲{否则}乙{否则}丙{结束}", "第1行：{否则} 前面没有对应的 {如有 …}。"),
    ],
)
def test_check_names_the_line(template, message):
    assert check(template, CONTEXT.keys()) == [message]


def test_check_lists_every_unknown_placeholder():
    errors = check("{a}\n{town}{b}", ["town"])
    assert errors == ["第1行：未知的占位符 {a}。", "第2行：未知的占位符 {b}。"]


def test_a_valid_template_has_no_errors():
    assert check("{如有 loans}{town}{loans}{否则}无{结束}", CONTEXT.keys()) == []


def test_render_refuses_what_the_context_lacks():
    with pytest.raises(TemplateError, match="未知的占位符"):
        render("{nothing}", CONTEXT)


def test_present_means_data_and_not_zero():
    assert fig("a", 3).present
    assert not fig("a", 0).present
    assert not fig("a", 5, has_data=False).present
    assert fig("a", (0, 2)).present
    assert not fig("a", (0, 0)).present
    assert not fig("a", None).present
