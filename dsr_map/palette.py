"""Colours and classes shared by the interactive map and the static exports.

Category colours are Okabe and Ito's colour-blind-safe palette; black is kept for the user's
own uploaded points. The country classes run light to dark in even lightness steps, so they stay
apart in greyscale print. Clusters never use these colours for anything but the categories
inside them.
"""

from __future__ import annotations

import numpy as np

from .schema import CATEGORIES

# Okabe & Ito (2008), "Color Universal Design": one colour per category, in CATEGORIES order.
CATEGORY_COLOURS: dict[str, str] = dict(
    zip(
        CATEGORIES,
        (
            "#D55E00",  # Surveillance: vermillion
            "#0072B2",  # Network Infrastructure: blue
            "#CC79A7",  # Big Data: reddish purple
            "#009E73",  # Fintech: bluish green
            "#E69F00",  # Energy: orange
            "#56B4E9",  # Integrated Platforms: sky blue
            "#F0E442",  # Municipal Services: yellow
        ),
    )
)
OTHER_COLOUR = "#777777"
UPLOAD_COLOUR = "#000000"  # the user's own rows: black points with a white ring, black clusters

# Choropleth classes: upper bounds of 1, 2-3, 4-9, 10+ (0 is drawn neutral).
CLASS_BINS = (0, 1, 3, 9)
CLASS_LABELS = ("none", "1", "2–3", "4–9", "10+")
CLASS_COLOURS = ("#f7f7f7", "#d0cbe5", "#aaa3cf", "#7e74b3", "#4a3d85")
BORDER_COLOUR = "#9e9e9e"
OCEAN_COLOUR = "#dfeaf2"
TIE_COLOUR = "#0b3d2e"  # hatching of countries with a standards tie


def classify_counts(counts) -> np.ndarray:
    """Class index 0..4 for project counts (0 = none, 1 = 1, 2 = 2-3, 3 = 4-9, 4 = 10+)."""
    values = np.asarray(counts, dtype=float)
    return np.searchsorted(np.asarray(CLASS_BINS, dtype=float), values, side="left").clip(0, len(CLASS_LABELS) - 1)


def shown_category(categories: tuple[str, ...], focus: tuple[str, ...] = ()) -> str | None:
    """The category a point is drawn in: the first of its categories the user selected, else its first."""
    chosen = [c for c in categories if c in focus] if focus else []
    candidates = chosen or list(categories)
    return candidates[0] if candidates else None


def category_colour(categories: tuple[str, ...], focus: tuple[str, ...] = ()) -> str:
    return CATEGORY_COLOURS.get(shown_category(categories, focus) or "", OTHER_COLOUR)


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black .. 100 white) of an sRGB colour: what a greyscale print keeps."""
    rgb = np.array([int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return 116 * (y ** (1 / 3)) - 16 if y > 216 / 24389 else y * 24389 / 27
