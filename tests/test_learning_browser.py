"""Real-browser test: a module served by Voilà on loopback, driven by headless Chromium.

Moves a slider (keyboard on the noUiSlider handle, as a participant would) and asserts
that the chart and the text of the view changed exactly as the pure function says.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from doeagenda.learning.modules import gemeente as m01
from doeagenda.learning.modules import levert_op as m04

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url(repo, tmp_path_factory):
    """Serve notebooks/leren with Voilà on a free loopback port; stop it afterwards."""
    tmp_path = tmp_path_factory.mktemp("voila")
    port = _free_port()
    voila = Path(sys.executable).with_name("voila")
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "DOEAGENDA_TRAINER": "0"}
    log = (tmp_path / "voila.log").open("w")
    process = subprocess.Popen(
        [
            str(voila),
            "notebooks/leren/",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        cwd=repo,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("Voilà did not start:\n" + (tmp_path / "voila.log").read_text())
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


CASES = {
    # notebook: (code a participant never sees, key presses on the first slider,
    #            text before, text after, whether the table changes)
    "01_ken_je_gemeente.ipynb": (
        "learning.wijk_distribution",
        ["ArrowLeft"] * 5,  # drempel 15 -> 10 (step 1)
        lambda: m01.wijken_view("GM0344", drempel=15.0).text,
        lambda: m01.wijken_view("GM0344", drempel=10.0).text,
        False,  # the threshold recolours the chart; the wijken table stays the same
    ),
    # a trainer's link for one gemeente: ?gemeente=GM0307 (Amersfoort)
    "04_wat_levert_het_op.ipynb?gemeente=GM0307": (
        "learning.sroi_explorer",
        ["ArrowRight"] * 5,  # deadweight 25% -> 50% (step 5)
        lambda: m04.sroi_view("GM0307").text,
        lambda: m04.sroi_view("GM0307", deadweight=50.0).text,
        True,  # the key-figures table shows the new ratio
    ),
}


@pytest.mark.parametrize("notebook", sorted(CASES))
def test_slider_in_voila_changes_chart_and_text(chromium, voila_url, notebook):
    from playwright import sync_api  # the chromium fixture made sure it is installed

    hidden_code, keys, before_text, after_text, table_changes = CASES[notebook]
    url = f"{voila_url}/voila/render/{notebook}"
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url, timeout=180_000)
            page.wait_for_selector(".doeagenda-explorer .noUi-handle", timeout=180_000)
            explorer = page.locator(".doeagenda-explorer").filter(has=page.locator(".noUi-handle"))
            assert explorer.count() == 1
            text = explorer.locator(".doeagenda-view p").first
            assert text.inner_text() == before_text()
            chart_before = explorer.locator(".doeagenda-grafiek svg").inner_html()
            table_before = explorer.locator("table").inner_text()
            # the app shows no code
            content = page.content()
            assert hidden_code not in content
            assert "from doeagenda import learning" not in content

            handle = explorer.locator(".noUi-handle").first
            handle.focus()
            for key in keys:
                page.keyboard.press(key)
            want = after_text()
            deadline = time.monotonic() + 60
            while text.inner_text() != want and time.monotonic() < deadline:
                page.wait_for_timeout(250)  # the kernel recomputes the view
            assert text.inner_text() == want
            assert explorer.locator(".doeagenda-grafiek svg").inner_html() != chart_before
            if table_changes:
                assert explorer.locator("table").inner_text() != table_before
        finally:
            browser.close()
    assert not errors, errors
