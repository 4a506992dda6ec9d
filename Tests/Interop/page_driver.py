"""Selenium helpers shared by the web phone's Chromium tests."""
import pytest
from selenium.common.exceptions import NoSuchElementException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def text(browser, element_id):
    """The visible text of the page element `element_id`."""
    return browser.find_element(By.ID, element_id).text


def wait(browser, seconds, condition, what):
    """Waits for `condition(browser)`; on timeout fails naming `what`, the page's
    status line and its log-in error (when the page has one)."""
    try:
        return WebDriverWait(browser, seconds, poll_frequency=0.05).until(condition)
    except TimeoutException:
        try:
            login_error = text(browser, "login-error")
        except NoSuchElementException:
            login_error = ""
        pytest.fail(f"{what} not seen within {seconds} s; status: {text(browser, 'status')!r}; "
                    f"login error: {login_error!r}")
