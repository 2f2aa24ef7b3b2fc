"""Charts drawn with Altair, made accessible: a description on the chart, marks kept out of the
accessibility tree (every chart has a text equivalent next to it, which screen readers read instead)."""

import altair as alt
import numpy as np
import pandas as pd


def schedule(frame: pd.DataFrame, visited: np.ndarray) -> alt.Chart:
    """Picture and noise share per timestep, with dots on the timesteps the sampler visits."""
    long = frame.melt("timestep", var_name="part", value_name="share")
    lines = alt.Chart(long).mark_line(aria=False).encode(
        x=alt.X("timestep:Q", title="timestep (0 = clean image)"),
        y=alt.Y("share:Q", title="share of the variance", axis=alt.Axis(format="%")),
        color=alt.Color("part:N", title=None))
    dots = alt.Chart(frame[frame.timestep.isin(visited)]).mark_point(aria=False, filled=True, size=40).encode(
        x="timestep:Q", y=alt.Y("picture:Q"))
    return (lines + dots).properties(
        height=260, description="Line chart of picture and noise share across 1000 timesteps, with dots on "
                                "the timesteps the sampler visits. The text below describes it.")
