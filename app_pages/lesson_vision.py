"""Lesson 2: computer vision (image in, text out) versus image generation (text in, image out)."""

from ui import diffusion_lab, lesson, vision_lab

SLUG = "vision-vs-generation"
interactive = {}
if diffusion_lab.model_ready():
    interactive = {
        lesson.section_index(SLUG, "image in or image out"): vision_lab.round_trip,
        lesson.section_index(SLUG, "vision reader"): vision_lab.your_image,
    }
links = {lesson.section_index(SLUG, "lightweight app"): [
    ("app_pages/studio.py", "Generate an image in the studio, then read it back here")]}
lesson.render(SLUG, interactive, links)
