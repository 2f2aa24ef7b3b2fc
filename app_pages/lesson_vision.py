"""Lesson 2: computer vision (image in, text out) versus image generation (text in, image out)."""

from ui import lesson

lesson.render("vision-vs-generation")
