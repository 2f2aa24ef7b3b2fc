"""Every listed page: opens, shows its one heading, no exception box, passes axe in light and dark."""

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from ui.navigation import all_pages

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
ALLOW = yaml.safe_load((Path(__file__).parent / "axe_allowlist.yaml").read_text())
PAGES = all_pages()


def wait_for_app(page: Page) -> None:
    """Streamlit has finished the script run: the status widget is gone and the main block is drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=10_000)
    page.wait_for_timeout(300)


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(content=AXE)
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        // Record which Streamlit components (data-testid ancestors) hold each failing node.
        for (const v of result.violations) for (const node of v.nodes) {
            const ids = [];
            for (let el = document.querySelector(node.target[0]); el; el = el.parentElement)
                if (el.dataset && el.dataset.testid) ids.push(el.dataset.testid);
            node.within = ids;
        }
        return result.violations;
    }""")


def app_violations(violations: list[dict]) -> list[str]:
    """Violations not explained by the allow-list, as readable lines."""
    problems = []
    for v in violations:
        for node in v["nodes"]:
            if not any(a["rule"] == v["id"] and a["within"] in node["within"] for a in ALLOW):
                problems.append(f"{v['id']} ({v['impact']}) in {node['within'][:3]}: {node['html'][:160]}")
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_renders_and_passes_axe(browser: Browser, app_url: str, screenshots: Path, spec, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/{spec.url_path}")
    wait_for_app(page)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(spec.heading)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    images_without_alt = page.locator('[data-testid="stMain"] img:not([alt])')
    expect(images_without_alt).to_have_count(0)
    page.screenshot(path=str(screenshots / f"{spec.url_path or 'home'}-{scheme}.png"), full_page=False)
    problems = app_violations(axe_violations(page))
    context.close()
    assert not problems, "\n".join(problems)
