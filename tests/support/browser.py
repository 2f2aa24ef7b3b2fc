"""Browser-test helpers: the app on a loopback port (from ``bench/support.py``, which the benches use
too), waiting for a Streamlit run to finish, and axe-core accessibility checks against the allow-list."""

from pathlib import Path

import yaml
from playwright.sync_api import Page

from bench.support import CHROMIUM, CHROMIUM_ARGS, RunningApp, free_port, running_app

E2E = Path(__file__).resolve().parents[1] / "e2e"
AXE = (E2E / "vendor" / "axe.min.js").read_text()
ALLOW = yaml.safe_load((E2E / "axe_allowlist.yaml").read_text())

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "RunningApp", "app_violations", "axe_violations", "free_port",
           "running_app", "wait_for_app"]


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
