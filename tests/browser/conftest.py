"""The browser tests' shared servers: one copy of the lessons, one JupyterLab and one chromium per test process.

Session-scoped, so under ``pytest -n 2`` each worker starts its own JupyterLab (free port, own token) once
and every test of that worker opens its pages there; after each test the kernels it started are shut down.
In CI (``CI=true``) a missing browser fails the tests; elsewhere they skip with the install command.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import copy_lessons, launch, shutdown_kernels, start_lab, stop
from tests.browser.pages import require_browser


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """A temporary copy of the lessons, so a run can never save outputs into the repository."""
    require_browser()
    return copy_lessons(tmp_path_factory.mktemp("lessons"))


_SHUTTING_DOWN: list[threading.Thread] = []  # the kernels of tests that have finished, being shut down


@pytest.fixture(scope="session")
def lab(workdir, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """JupyterLab on a free localhost port with a token; yields (base URL, token)."""
    process, base, token = start_lab(workdir, tmp_path_factory.mktemp("settings"))
    yield base, token
    for thread in _SHUTTING_DOWN:
        thread.join(timeout=60)
    stop(process)


@pytest.fixture(autouse=True)
def _one_kernel_at_a_time(request):
    """After each test, shut down the kernels it started (pages closed leave their kernels running); the next test
    starts while they exit."""
    yield
    if "lab" in request.fixturenames:
        _SHUTTING_DOWN.append(shutdown_kernels(*request.getfixturevalue("lab"), background=True))


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, through Playwright (no browser download)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()
