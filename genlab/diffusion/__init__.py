"""The local text-to-image model: schedule, schedulers (NumPy), networks (onnxruntime), pipeline."""

#: The side of the pictures the local model makes, in pixels (its decoder's output). Kept here, apart
#: from the networks, so settings and validation can name it without loading a model.
RESOLUTION = 64
