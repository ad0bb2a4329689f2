"""Bar charts drawn on the server as inline SVG (no JavaScript library, DESIGN.md).

Pure: bars in, SVG text out, every text escaped. Each bar shows the provisional share of the
valid votes, with the verified share as a darker inner bar, so both read at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

PROVISIONAL = "#7fb3c8"
VERIFIED = "#0f5c6e"
# Each choice takes two lines: its name, then its bar with the figures after it. Drawn narrow
# (360 units) so that on a phone the text is shown near its own size, never shrunk to 7–8 px,
# and no bar runs over a name.
ROW = 40
WIDTH = 360
VALUE_WIDTH = 130
LABEL_CHARS = 48


@dataclass(frozen=True)
class Bar:
    label: str
    votes: int
    percent: float
    verified_percent: float
    title: str = ""


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _bar(index: int, bar: Bar, scale: float) -> str:
    y = index * ROW + 4
    plot = WIDTH - VALUE_WIDTH
    width = max(0.0, bar.percent * scale * plot / 100)
    inner = max(0.0, bar.verified_percent * scale * plot / 100)
    value = f"{number_format(bar.votes)} · {number_format(bar.percent, 2)}%"
    title = escape(bar.title or bar.label)
    return (
        f"<g><title>{title}</title>"
        f'<text class="lbl" x="0" y="{y + 12}">{escape(_short(bar.label))}</text>'
        f'<rect x="0" y="{y + 17}" width="{width:.1f}" height="14" rx="3" fill="{PROVISIONAL}"/>'
        f'<rect x="0" y="{y + 21}" width="{inner:.1f}" height="6" rx="2" fill="{VERIFIED}"/>'
        f'<text class="val" x="{width + 6:.1f}" y="{y + 28}">{escape(value)}</text>'
        "</g>"
    )


def bar_chart(bars: Sequence[Bar], *, caption: str) -> SafeString:
    """Horizontal bars scaled so the largest fills the plot; empty when there is nothing."""
    if not bars:
        return SafeString("")
    top = max((b.percent for b in bars), default=0.0)
    scale = 100 / top if top > 0 else 1.0
    height = len(bars) * ROW + 4
    body = "".join(_bar(i, b, scale) for i, b in enumerate(bars))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(caption, quote=True)}">{body}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
