"""The power plot: three panels (respondents for classification, for a subgroup
difference, focus groups for saturation), written as SVG and PNG with matplotlib."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def power_figure(
    table: pd.DataFrame, curve: pd.DataFrame, question: object, folder: Path
) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
    left.plot(table["respondents"], table["half_width"], marker="o", label="interval half-width")
    left.plot(table["respondents"], table["flip"], marker="s", label="key status flips")
    left.axhline(getattr(question, "half_width", 0.1), color="grey", linestyle=":")
    left.set(xlabel="respondents", ylabel="share", title="Classifying items")
    left.legend()
    middle.plot(table["respondents"], table["subgroup_power"], marker="o")
    middle.axhline(0.8, color="grey", linestyle=":")
    middle.set(
        xlabel="respondents",
        ylabel="power",
        ylim=(0, 1.02),
        title=f"Subgroup difference of {getattr(question, 'effect', '')} SD",
    )
    right.fill_between(curve["focus_groups"], curve["low"], curve["high"], alpha=0.25)
    right.plot(curve["focus_groups"], curve["share_said"], marker="o")
    right.axhline(getattr(question, "saturation", 0.9), color="grey", linestyle=":")
    right.set(
        xlabel="focus groups", ylabel="share of items said", ylim=(0, 1.02), title="Saturation"
    )
    paths = [folder / "power.svg", folder / "power.png"]
    figure.savefig(paths[0], metadata={"Date": None})
    figure.savefig(paths[1], dpi=100)
    plt.close(figure)
    return paths
