"""What machine a benchmark (or a training run) ran on, printed with every figure."""

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The processor's name as the kernel reports it (``/proc/cpuinfo``), else what Python knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict:
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version()}
