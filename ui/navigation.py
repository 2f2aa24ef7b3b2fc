"""The app's pages as data: app.py builds the navigation from it and the browser tests visit each one.

A page is listed here only once it does something real.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str  # "" for the start page, which Streamlit serves at "/"
    heading: str  # the page's one h1, which the browser test looks for


NAVIGATION: dict[str, list[PageSpec]] = {
    "Learn": [
        PageSpec("app_pages/home.py", "Start here", ":material/home:", "", "AI-901 Image Generation Lab"),
        PageSpec("app_pages/lesson_diffusion.py", "How diffusion makes images", ":material/blur_on:",
                 "diffusion", "How AI creates images from noise"),
        PageSpec("app_pages/lesson_foundry.py", "GPT-image-1.5 in Foundry", ":material/cloud:",
                 "foundry", "GPT-image-1.5 in Microsoft Foundry"),
        PageSpec("app_pages/lesson_vision.py", "Vision versus generation", ":material/swap_horiz:",
                 "vision-vs-generation", "Computer vision versus image generation"),
        PageSpec("app_pages/lesson_responsible_ai.py", "Responsible AI", ":material/verified_user:",
                 "responsible-ai", "Responsible AI for image generation"),
    ],
    "Create": [
        PageSpec("app_pages/studio.py", "Generation studio", ":material/brush:", "studio", "Generation studio"),
    ],
    "Verify": [
        PageSpec("app_pages/provenance_viewer.py", "Content Credentials viewer", ":material/verified:",
                 "credentials", "Content Credentials viewer"),
        PageSpec("app_pages/tamper_lab.py", "Tamper lab", ":material/gpp_bad:", "tamper-lab", "Tamper lab"),
    ],
    "Practice": [
        PageSpec("app_pages/flashcards.py", "Flashcards", ":material/style:", "flashcards", "Flashcards"),
        PageSpec("app_pages/quiz.py", "Knowledge check", ":material/quiz:", "quiz", "Knowledge check"),
    ],
    "Classroom": [
        PageSpec("app_pages/classroom_join.py", "Join a live quiz", ":material/groups:", "classroom",
                 "Join a live quiz"),
        PageSpec("app_pages/classroom_host.py", "Host a live quiz", ":material/co_present:", "classroom-host",
                 "Host a live quiz"),
    ],
}


def all_pages() -> list[PageSpec]:
    return [page for pages in NAVIGATION.values() for page in pages]
