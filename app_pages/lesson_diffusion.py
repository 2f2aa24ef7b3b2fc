"""Lesson 1: how diffusion makes an image from noise, with the local model running live."""

from ui import diffusion_lab, lesson

SLUG = "diffusion"
if diffusion_lab.model_ready():
    interactive = {
        lesson.section_index(SLUG, "TV static"): diffusion_lab.step_viewer,
        lesson.section_index(SLUG, "noise schedule"): diffusion_lab.schedule_chart,
        lesson.section_index(SLUG, "prompt steers"): diffusion_lab.compare_prompts,
        lesson.section_index(SLUG, "latent space"): diffusion_lab.latent_space,
        lesson.section_index(SLUG, "guidance"): diffusion_lab.guidance_row,
        lesson.section_index(SLUG, "seeds"): diffusion_lab.seed_row,
        lesson.section_index(SLUG, "inpainting"): diffusion_lab.inpainting,
        lesson.section_index(SLUG, "toy diffusion"): diffusion_lab.read_the_code,
    }
else:
    interactive = {}
links = {
    lesson.section_index(SLUG, "Try it"): [
        ("app_pages/lesson_foundry.py", "Next: GPT-image-1.5 in Microsoft Foundry")],
}
lesson.render(SLUG, interactive, links)
