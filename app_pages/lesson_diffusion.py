"""Lesson 1: how diffusion makes an image from noise, with the local model running live."""

from ui import diffusion_lab, lesson

SLUG = "diffusion"
if diffusion_lab.model_ready():
    interactive = {
        lesson.section_index(SLUG, "TV static"): diffusion_lab.step_viewer,
        lesson.section_index(SLUG, "noise schedule"): diffusion_lab.schedule_chart,
        lesson.section_index(SLUG, "prompt steers"): diffusion_lab.compare_prompts,
        lesson.section_index(SLUG, "guidance"): diffusion_lab.guidance_row,
        lesson.section_index(SLUG, "seeds"): diffusion_lab.seed_row,
        lesson.section_index(SLUG, "inpainting"): diffusion_lab.inpainting,
        lesson.section_index(SLUG, "toy diffusion"): diffusion_lab.read_the_code,
    }
else:
    interactive = {}
links = {
    lesson.section_index(SLUG, "GPT-image-1.5"): [("app_pages/studio.py", "Try it in the Generation studio")],
    lesson.section_index(SLUG, "Parameters you set"): [
        ("app_pages/studio.py", "Set size, quality and number of images in the studio")],
    lesson.section_index(SLUG, "Calling it from code"): [
        ("app_pages/studio.py", "See the exact code for your settings under \"View code\" in the studio")],
}
lesson.render(SLUG, interactive, links)
