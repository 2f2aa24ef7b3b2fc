"""The local text-to-image model: schedule, schedulers (NumPy), network (onnxruntime), pipeline."""
