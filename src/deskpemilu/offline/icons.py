"""The app's icons, drawn with Pillow: a ballot box on the desk's blue. Run once after a design
change (`python -m deskpemilu.offline.icons`); the PNGs are committed under static/offline/."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (192, 512)
BLUE = (29, 78, 137)
WHITE = (255, 255, 255)
HERE = Path(__file__).resolve().parent / "static" / "offline"


def icon(size: int) -> Image.Image:
    # Drawn inside the middle 80% so a "maskable" crop (a circle on Android) keeps it whole.
    image = Image.new("RGB", (size, size), BLUE)
    draw = ImageDraw.Draw(image)
    u = size / 10
    draw.rectangle([2.5 * u, 4.2 * u, 7.5 * u, 7.6 * u], outline=WHITE, width=max(2, int(u / 2.5)))
    draw.rectangle([3.9 * u, 4.0 * u, 6.1 * u, 4.5 * u], fill=WHITE)
    draw.polygon([(4.3 * u, 2.2 * u), (5.9 * u, 2.2 * u), (5.9 * u, 4.1 * u), (4.3 * u, 4.1 * u)],
                 outline=WHITE, width=max(2, int(u / 3)))  # fmt: skip
    draw.line([(4.6 * u, 3.2 * u), (5.0 * u, 3.6 * u), (5.6 * u, 2.7 * u)], fill=WHITE,
              width=max(2, int(u / 3)))  # fmt: skip
    return image


def main() -> None:
    for size in SIZES:
        icon(size).save(HERE / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
