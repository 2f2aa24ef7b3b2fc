"""Lesson 3: responsible AI for image generation."""

from ui import lesson

lesson.render("responsible-ai")
