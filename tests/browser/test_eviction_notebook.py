"""The eviction chapter in real JupyterLab + Chromium: run it, change a control, see the
figure change. Screenshots land in tests/browser/artifacts/ (CI keeps them)."""

from __future__ import annotations

from .conftest import run_all, screenshot

NOTEBOOK = "01-fundamentals/04-memory-and-eviction.ipynb"
TITLE = ("() => { const t = document.querySelector('.js-plotly-plot .gtitle');"
         " return t ? t.textContent : null; }")


def test_eviction_widget_reacts_to_controls(jupyterlab, page):
    run_all(page, jupyterlab, NOTEBOOK)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=120_000)
    before = page.evaluate(TITLE)
    assert before and "allkeys-lru" in before
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "eviction-before.png")
    # the "next eviction" button steps the live engine: the title (summary) changes
    page.get_by_role("button", name="10 evictions").first.click()
    page.wait_for_function(f"t => ({TITLE})() !== t", arg=before, timeout=60_000)
    after_step = page.evaluate(TITLE)
    # the policy dropdown reconfigures the engine (CONFIG SET) and redraws
    page.locator(".widget-dropdown select").first.select_option("allkeys-lfu")
    page.wait_for_function(f"() => (({TITLE})() || '').includes('allkeys-lfu')", timeout=60_000)
    after_policy = page.evaluate(TITLE)
    page.get_by_role("button", name="10 evictions").first.click()  # LFU counters re-learn
    page.wait_for_function(f"t => ({TITLE})() !== t", arg=after_policy, timeout=60_000)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "eviction-after.png")
    assert after_step != before and "allkeys-lfu" in after_policy
    assert not page.errors, page.errors
