"""A dendrogram of the card-sort similarity matrix as SVG text, drawn on the server.

No Django and no plotting library: scipy gives the tree's coordinates, the lines are
written here. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from rtwcomp.elicitation.clustering import similarity_tree

ROW = 22  # pixels per item
TREE_WIDTH = 360
LABEL_WIDTH = 420
TOP = 40


def render(labels: Sequence[str], matrix: np.ndarray, title: str = "Dendrogram") -> str:
    """Items top to bottom; a join further right means the items were sorted together less."""
    n = len(labels)
    height = TOP + max(n, 1) * ROW + 30
    width = LABEL_WIDTH + TREE_WIDTH + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t">',
        f'<title id="t">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if n >= 2:
        from scipy.cluster.hierarchy import dendrogram

        tree = dendrogram(similarity_tree(matrix), no_plot=True, orientation="right")
        order = tree["leaves"]

        def x(distance: float) -> float:  # distance 0 at the labels, 1 at the right edge
            return LABEL_WIDTH + 10 + distance * TREE_WIDTH

        def y(coordinate: float) -> float:  # scipy puts leaves at 5, 15, 25, ...
            return TOP + (coordinate - 5) / 10 * ROW + ROW / 2

        for ys, xs in zip(tree["icoord"], tree["dcoord"], strict=True):
            points = " ".join(f"{x(d):.1f},{y(c):.1f}" for c, d in zip(ys, xs, strict=True))
            out.append(f'<polyline points="{points}" fill="none" stroke="#0b5394"/>')
    else:
        order = list(range(n))
    for row, leaf in enumerate(order):
        text = labels[leaf] if len(labels[leaf]) <= 60 else labels[leaf][:59] + "…"
        out.append(
            f'<text x="{LABEL_WIDTH}" y="{TOP + row * ROW + ROW / 2 + 4:.1f}" '
            f'text-anchor="end" font-family="sans-serif" font-size="12" fill="#1b1f24">'
            f"{escape(text)}</text>"
        )
    axis_y = TOP + max(n, 1) * ROW + 10
    for share in (0.0, 0.5, 1.0):
        out.append(
            f'<text x="{LABEL_WIDTH + 10 + share * TREE_WIDTH:.1f}" y="{axis_y + 12}" '
            f'text-anchor="middle" font-family="sans-serif" font-size="11" fill="#4a5361">'
            f"{int((1 - share) * 100)}%</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
