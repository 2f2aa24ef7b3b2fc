"""Lesson 3: responsible AI for image generation, with something to try for each principle."""

from ui import diffusion_lab, lesson, responsible_lab

SLUG = "responsible-ai"
interactive = {
    lesson.section_index(SLUG, "reliability"): responsible_lab.content_filter,
    lesson.section_index(SLUG, "putting it together"): responsible_lab.scenarios,
}
if diffusion_lab.model_ready():
    interactive[lesson.section_index(SLUG, "fairness")] = responsible_lab.fairness_probe
links = {
    lesson.section_index(SLUG, "transparency"): [
        ("app_pages/provenance_viewer.py", "Read an image's Content Credentials in the viewer"),
        ("app_pages/tamper_lab.py", "Break a signed image on purpose in the tamper lab")],
    lesson.section_index(SLUG, "reliability"): [
        ("app_pages/studio.py", "See a blocked prompt in the Generation studio")],
}
lesson.render(SLUG, interactive, links)
