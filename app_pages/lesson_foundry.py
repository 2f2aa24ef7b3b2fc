"""Lesson 2: GPT-image-1.5 in Microsoft Foundry, from the model catalog to working code."""

from ui import lesson

SLUG = "foundry"
links = {
    lesson.section_index(SLUG, "playground"): [
        ("app_pages/studio.py", "Try size, quality and prompts side by side in the Generation studio")],
    lesson.section_index(SLUG, "Parameters you set"): [
        ("app_pages/studio.py", "Set size, quality and number of images in the studio")],
    lesson.section_index(SLUG, "Calling it from code"): [
        ("app_pages/studio.py", "See the exact code for your settings under \"View code\" in the studio")],
}
lesson.render(SLUG, None, links)
