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
ROW = 24
LABEL_WIDTH = 150
VALUE_WIDTH = 120
WIDTH = 480
LABEL_CHARS = 18


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
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    width = max(0.0, bar.percent * scale * plot / 100)
    inner = max(0.0, bar.verified_percent * scale * plot / 100)
    value = f"{number_format(bar.votes)} · {number_format(bar.percent, 2)}%"
    title = escape(bar.title or bar.label)
    return (
        f"<g><title>{title}</title>"
        f'<text class="lbl" x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">'
        f"{escape(_short(bar.label))}</text>"
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="18" rx="3" '
        f'fill="{PROVISIONAL}"/>'
        f'<rect x="{LABEL_WIDTH}" y="{y + 6}" width="{inner:.1f}" height="6" rx="2" '
        f'fill="{VERIFIED}"/>'
        f'<text class="val" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 14}">{escape(value)}</text>'
        "</g>"
    )


def bar_chart(bars: Sequence[Bar], *, caption: str) -> SafeString:
    """Horizontal bars scaled so the largest fills the plot; empty when there is nothing."""
    if not bars:
        return SafeString("")
    top = max((b.percent for b in bars), default=0.0)
    scale = 100 / top if top > 0 else 1.0
    height = len(bars) * ROW + 8
    body = "".join(_bar(i, b, scale) for i, b in enumerate(bars))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(caption, quote=True)}">{body}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
