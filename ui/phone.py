"""On a phone, the sidebar closes after a tap on a page in its navigation.

When the window is narrow, Streamlit draws the open sidebar over the page. Streamlit closes it after a
navigation tap only when the browser says it is a phone (its user agent); a narrow window that does not
say so (a tablet, a small laptop window, a phone asking for the desktop site) kept the sidebar over the
new page, which then looked as if nothing had happened. This script closes it in every such case, and
only when the sidebar really covers the page: on a wide screen it stays open beside the page.
"""

import streamlit as st

SCRIPT = """<script>
(() => {
  if (window.__genlabCloseSidebarOnNav) return;  // once per page load; the app reruns this element often
  window.__genlabCloseSidebarOnNav = true;
  const covers = () => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const main = document.querySelector('[data-testid="stMain"]');
    if (!sidebar || !main) return false;
    const s = sidebar.getBoundingClientRect(), m = main.getBoundingClientRect();
    return s.width > 0 && s.right > m.left + 1;  // drawn over the page, not beside it
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] a[href]');
    if (!link || !covers()) return;
    setTimeout(() => {  // after Streamlit has handled the click (and perhaps closed it itself)
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]');
      if (close && covers()) close.click();
    }, 50);
  }, true);
})();
</script>"""


def close_sidebar_on_navigation() -> None:
    """Install the script (it takes no space on the page)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
