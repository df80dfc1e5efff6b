"""Verifying residents in Chromium: axe-core finds nothing on the staff pages (with their errors) or on the page
where residents enter a code (with its error); codes downloaded as CSV in the browser work when entered."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import KeyboardDriver, sign_in
from tests.budgeting.support import make_budget

pytestmark = pytest.mark.browser


@dataclass
class World:
    staff: str
    resident: str
    area_slug: str


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        staff = factories.make_user("Sam Staff", role="civil_servant", organisation="Council")
        resident = factories.make_user("Rita Resident", email="rita@example.org")
        factories.make_user("Bob Jones", email="bob@example.org")
        setup = make_budget(area="Riverside", eligibility="verified_residents")
        return World(factories.sign_in_id(staff), factories.sign_in_id(resident), setup.pot.area.slug)


def test_staff_pages_are_accessible_with_their_errors(app: Flask, world: World, browser_session: Session,
                                                      page: Page, check_a11y):
    sign_in(app, page, browser_session.base_url, world.staff)
    page.goto("/budgets/areas")
    expect(page.locator("h1")).to_have_text("Areas and their verified residents")
    check_a11y(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Riverside", exact=True).click()
    expect(page.locator("h1")).to_have_text("Verified residents")
    check_a11y(page)
    page.get_by_label("Email address or handle").fill("nobody@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Verify resident").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is no one with that email address")
    expect(page.get_by_label("Email address or handle")).to_have_value("nobody@example.org")
    check_a11y(page)

    for who in ("rita@example.org", "bob-jones"):
        page.get_by_label("Email address or handle").fill(who)
        with page.expect_navigation():
            page.get_by_role("button", name="Verify resident").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Bob Jones is now verified")
    check_a11y(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Revoke Rita Resident").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke verification").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain why the verification is revoked")
    check_a11y(page)
    page.get_by_label("Why are you revoking this verification?").fill("Moved away")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke verification").click()
    row = page.locator("tr", has_text="Rita Resident")
    expect(row).to_contain_text("Revoked")
    expect(row).to_contain_text("Moved away")
    check_a11y(page)

    page.goto(f"/budgets/areas/{world.area_slug}/codes")
    check_a11y(page)
    page.get_by_label("How many codes?").fill("5001")
    page.get_by_label("Batch name").fill("Letters")
    with page.expect_navigation():
        page.get_by_role("button", name="Make codes and download them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number of codes from 1 to 5,000")
    check_a11y(page)


def test_codes_downloaded_in_the_browser_verify_a_resident_using_the_keyboard(app: Flask, world: World,
                                                                               browser_session: Session,
                                                                               page: Page, check_a11y):
    sign_in(app, page, browser_session.base_url, world.staff)
    page.goto(f"/budgets/areas/{world.area_slug}/codes")
    page.get_by_label("How many codes?").fill("3")
    page.get_by_label("Batch name").fill("Library event")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Make codes and download them").click()
    download = download_info.value
    assert download.suggested_filename.startswith("verification-codes-riverside-library-event-")
    with open(download.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["area"], r["batch"]) for r in rows] == [("Riverside", "Library event")] * 3

    resident = browser_session.new_page()
    sign_in(app, resident, browser_session.base_url, world.resident)
    resident.goto("/budgets/verify")
    check_a11y(resident)
    keys = KeyboardDriver(resident)
    keys.fill("Verification code", "ABCD-EFGH-JK")
    keys.press("Verify me")
    expect(resident.locator(".govuk-error-summary")).to_contain_text("That code is not valid or has already been used")
    expect(resident.get_by_label("Verification code")).to_have_value("ABCD-EFGH-JK")
    check_a11y(resident)
    keys.fill("Verification code", rows[0]["code"].lower())
    keys.press("Verify me")
    banner = resident.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("You are verified as a resident of Riverside")
    expect(resident.locator("main")).to_contain_text("Riverside, since")
    check_a11y(resident)

    page.goto("/budgets/areas")
    row = page.locator("tr", has_text="Riverside")
    expect(row.locator("td").nth(0)).to_have_text("1")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row.locator("td").nth(2)).to_have_text("1")
