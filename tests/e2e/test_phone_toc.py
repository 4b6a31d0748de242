"""The learner on a phone: at 390 px the contents collapse behind a labelled button, the
screen's content starts above the fold, and the current screen's title stays visible."""

from __future__ import annotations

import pytest

from tests.e2e.test_accessibility import axe_violations

MODULE = "m12"
PHONE = {"width": 390, "height": 844}


def open_module(page, base_url: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{base_url}/pkg/cpom-{MODULE}-scorm2004/{MODULE}/index.html")
    page.wait_for_selector("html[data-cpom-ready]")


def test_the_first_screen_starts_above_the_fold(page, base_url) -> None:
    open_module(page, base_url, PHONE)
    heading = page.locator("main h2:visible").first
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] < PHONE["height"] / 2
    assert page.locator("#toc-list").is_hidden()


def test_the_toggle_is_a_labelled_button_that_opens_and_closes(page, base_url) -> None:
    open_module(page, base_url, PHONE)
    toggle = page.get_by_role("button", name="Contents")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "toc-list"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#toc-list").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#toc-list").is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-toc-toggle')")


def test_choosing_a_screen_closes_the_list_and_names_the_screen(page, base_url) -> None:
    open_module(page, base_url, PHONE)
    page.get_by_role("button", name="Contents").click()
    link = page.locator("#toc-list a").nth(2)
    title = link.inner_text()
    link.click()
    assert page.locator("#toc-list").is_hidden()
    assert page.locator("main h2:visible").first.inner_text() == title
    current = page.locator("[data-toc-current]")
    assert current.inner_text() == title
    page.mouse.wheel(0, 3000)  # scrolled down a long screen, the title is still on screen
    page.wait_for_timeout(200)
    box = current.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"]


def test_the_phone_layout_has_no_serious_axe_violations(page, base_url) -> None:
    open_module(page, base_url, PHONE)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Contents").click()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 800])
def test_wider_screens_keep_the_full_contents(page, base_url, width: int) -> None:
    open_module(page, base_url, {"width": width, "height": 900})
    assert page.locator("#toc-list").is_visible()
    assert page.locator("[data-toc-toggle]").is_hidden()
