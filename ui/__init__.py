"""Streamlit widgets and per-session state shared by the pages."""
