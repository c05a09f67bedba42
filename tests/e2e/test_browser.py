"""End to end in Debian Chromium: the 螺田村 cadre logs in, finds 张三丰's household by
pinyin initials, opens it and sees only masked ID numbers; 马口村 never shows up."""

import datetime

import pytest

from zhenwu.testing.personas import PASSWORD, make_household

pytestmark = pytest.mark.browser


@pytest.fixture
def second_luotian_household(township_officer, luotian):
    """Another 螺田村 household, so that the search visibly narrows the list."""
    return make_household(
        township_officer, luotian, "LT0002", [("王二小", datetime.date(1975, 4, 2), "head")]
    )


def test_cadre_searches_by_initials_and_opens_the_household(
    browser_page, luotian_household, makou_household, second_luotian_household
):
    page = browser_page
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text().replace(" ", "") == "镇务"
    # The stylesheet is served (whitenoise) and applied: the CJK font stack is in use.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font
    css = [url for url in page.watch.responses if url.endswith("zhenwu/zhenwu.css")]
    assert css and page.watch.responses[css[0]] == 200

    page.fill("input[name=username]", "luotian")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.btn-primary[type=submit]")
    page.wait_for_url("**/registry/households/")
    results = page.locator("#results")
    assert "LT0001" in results.inner_text() and "LT0002" in results.inner_text()
    assert "MK0001" not in page.content() and "王五" not in page.content()

    # Live search (htmx): typing fires a request after a short delay and swaps the results.
    with page.expect_response(lambda response: "q=zsf" in response.url):
        page.fill("input[name=q]", "zsf")
    page.wait_for_function("!document.querySelector('#results').innerText.includes('LT0002')")
    assert "LT0001" in results.inner_text() and "张三丰" in results.inner_text()
    assert "MK0001" not in results.inner_text()
    assert "q=zsf" in page.url  # pushed into the address bar

    page.click("#results >> text=LT0001")
    page.wait_for_url("**/registry/households/*/")
    head = luotian_household.members.get(relation="head")
    body = page.locator("main").inner_text()
    assert "张三丰" in body and head.id_masked in body
    html = page.content()
    assert head.id_number not in html and head.id_number[6:14] not in html

    # Other village: same 404 as a missing record.
    response = page.goto(f"/registry/households/{makou_household.public_id}/")
    assert response.status == 404
    page.watch.errors = [e for e in page.watch.errors if "404" not in e]

    assert page.watch.errors == []
    assert page.watch.outside == []
