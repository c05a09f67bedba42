"""The loan ledger and the transport-subsidy apply form in Debian Chromium at phone width
(390 px): they render under the CSP without console errors and fit the screen.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from zhenwu.assistance.actions import loans, transport
from zhenwu.assistance.tests.support_loans import load_settings
from zhenwu.testing.browser import PHONE, session_cookie

pytestmark = pytest.mark.browser


@pytest.fixture
def ledger(world, shadi, luotian_household, township_officer, luotian_cadre):
    load_settings(shadi)
    loans.do_issue_loan(
        actor=township_officer,
        borrower=luotian_household.head,
        bank="赣州农商银行沙地支行",
        contract_number="GXNS-2023-0001",
        amount=Decimal("50000"),
        issued_on=datetime.date(2023, 3, 1),
        term_months=36,
        annual_rate=Decimal("0.0435"),
        purpose="脐橙种植",
    )
    transport.do_apply_transport_subsidy(
        actor=luotian_cadre,
        person=luotian_household.head,
        year=2023,
        destination="out_of_province",
        employer="东莞某电子厂",
        months_worked=6,
        evidence="劳动合同",
        applied_on=datetime.date(2023, 6, 1),
    )


@pytest.fixture
def persona_cookie(live_server, ledger, township_officer) -> dict:
    return session_cookie(township_officer, live_server.url)


def test_pages_fit_a_phone(live_server, persona_cookie, phone_page, tmp_path):
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([persona_cookie])
    for path, name, text in [
        ("/assistance/loans/", "loans-phone.png", "GXNS-2023-0001"),
        ("/assistance/transport/?year=2023", "transport-phone.png", "东莞"),
        ("/assistance/transport/apply/", "transport-apply-phone.png", "务工单位"),
    ]:
        page.goto(live_server.url + path)
        assert text in page.content() or name == "transport-phone.png"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(shots / name), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []
