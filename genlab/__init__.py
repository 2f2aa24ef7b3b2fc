"""The AI-901 Image Generation Lab engine.

Everything that can be computed without a browser lives here, so it can be tested in plain pytest,
benchmarked, and used from the command line. This package never imports streamlit.
"""

__version__ = "0.1.0"
