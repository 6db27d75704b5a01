"""Simple vector diagrams, described once and written out as SVG text or as a PNG image.

A Scene is a list of plain shapes (polygons, polylines, circles, text) in pixel coordinates.
`to_svg` and `to_png` render the same list, so the two files can never disagree; curves are
sampled into points here (`smooth`, `ellipse`) because Pillow draws no curves. The PNG is drawn
four times larger and scaled down, which smooths its edges. Pillow only, no system libraries:
text uses Pillow's built-in font.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

Point = tuple[float, float]
RGBA = tuple[int, int, int, int]
Drawer = Callable[[ImageDraw.ImageDraw, RGBA], None]
SUPERSAMPLE = 4


@dataclass(frozen=True)
class Paint:
    """Fill and outline; colours are "#rrggbb" or "#rrggbbaa" (aa: opacity), None for none."""

    fill: str | None = None
    stroke: str | None = None
    width: float = 0.0
    dash: tuple[float, float] | None = None  # (drawn, gap) lengths of a dashed outline


@dataclass(frozen=True)
class Shape:
    """A polygon (closed) or a polyline (open), with round joins and ends."""

    points: tuple[Point, ...]
    paint: Paint
    closed: bool = True


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    paint: Paint


@dataclass(frozen=True)
class Text:
    """A line of text centred on `at` horizontally, with its baseline at `at`'s height."""

    at: Point
    text: str
    size: float
    color: str
    bold: bool = False


Item = Shape | Circle | Text


@dataclass(frozen=True)
class Scene:
    width: int
    height: int
    background: str
    title: str  # a short name, the SVG's <title>
    description: str  # what it shows, in words: the SVG's <desc>, for screen readers
    items: tuple[Item, ...] = field(default_factory=tuple)


# --- describing shapes ---------------------------------------------------------


def smooth(points: Sequence[Point], closed: bool = False, samples: int = 10) -> tuple[Point, ...]:
    """A Catmull-Rom curve through `points`, sampled `samples` times between each pair."""
    if len(points) < 3:
        return tuple(points)
    ring = list(points)
    if closed:
        padded = [ring[-1], *ring, ring[0], ring[1]]
        segments = len(ring)
    else:
        padded = [ring[0], *ring, ring[-1]]
        segments = len(ring) - 1
    curve: list[Point] = []
    for index in range(segments):
        p0, p1, p2, p3 = padded[index : index + 4]
        for step in range(samples):
            curve.append(_catmull_rom(p0, p1, p2, p3, step / samples))
    if not closed:
        curve.append(ring[-1])
    return tuple(curve)


def ellipse(center: Point, rx: float, ry: float, angle: float = 0.0, samples: int = 72) -> tuple[Point, ...]:
    """An ellipse as a polygon, turned `angle` degrees clockwise."""
    cx, cy = center
    turn = math.radians(angle)
    points = []
    for index in range(samples):
        theta = 2 * math.pi * index / samples
        x, y = rx * math.cos(theta), ry * math.sin(theta)
        points.append((cx + x * math.cos(turn) - y * math.sin(turn), cy + x * math.sin(turn) + y * math.cos(turn)))
    return tuple(points)


def mirror(points: Iterable[Point], axis_x: float) -> tuple[Point, ...]:
    """The same points reflected left-right about the vertical line x = axis_x."""
    return tuple((2 * axis_x - x, y) for x, y in points)


def silhouette(parts: Iterable[Sequence[Point]], fill: str, stroke: str, width: float) -> list[Item]:
    """Overlapping parts drawn as one figure: every outline first, then every fill on top, so only
    the outer edge (and gaps between parts) shows a line."""
    shapes = [tuple(part) for part in parts]
    outlines: list[Item] = [Shape(points, Paint(stroke=stroke, width=2 * width)) for points in shapes]
    fills: list[Item] = [Shape(points, Paint(fill=fill)) for points in shapes]
    return outlines + fills


def _catmull_rom(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    def axis(a: float, b: float, c: float, d: float) -> float:
        return 0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t * t + (3 * b - a - 3 * c + d) * t**3)

    return (axis(p0[0], p1[0], p2[0], p3[0]), axis(p0[1], p1[1], p2[1], p3[1]))


# --- SVG -----------------------------------------------------------------------


def to_svg(scene: Scene) -> str:
    """The scene as a standalone SVG document."""
    width, height = scene.width, scene.height
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc">',
        f'  <title id="title">{escape(scene.title)}</title>',
        f'  <desc id="desc">{escape(scene.description)}</desc>',
        f'  <rect width="{width}" height="{height}"{_svg_color("fill", scene.background)}/>',
    ]
    lines += [f"  {_svg_item(item)}" for item in scene.items]
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def _svg_item(item: Item) -> str:
    if isinstance(item, Text):
        weight = ' font-weight="bold"' if item.bold else ""
        return (
            f'<text x="{_n(item.at[0])}" y="{_n(item.at[1])}" font-family="Helvetica, Arial, sans-serif" '
            f'font-size="{_n(item.size)}"{weight} text-anchor="middle"{_svg_color("fill", item.color)}>'
            f"{escape(item.text)}</text>"
        )
    if isinstance(item, Circle):
        (x, y), radius = item.center, item.radius
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}"{_svg_paint(item.paint)}/>'
    tag = {True: "polygon", False: "polyline"}[item.closed]
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
    return f'<{tag} points="{points}"{_svg_paint(item.paint)}/>'


def _svg_paint(paint: Paint) -> str:
    attributes = _svg_color("fill", paint.fill) if paint.fill else ' fill="none"'
    if paint.stroke and paint.width > 0:
        attributes += _svg_color("stroke", paint.stroke)
        attributes += f' stroke-width="{_n(paint.width)}" stroke-linejoin="round" stroke-linecap="round"'
        if paint.dash:
            attributes += f' stroke-dasharray="{_n(paint.dash[0])} {_n(paint.dash[1])}"'
    return attributes


def _svg_color(attribute: str, color: str) -> str:
    """fill="#rrggbb" plus fill-opacity when the colour has one (SVG 1.1 has no #rrggbbaa)."""
    red, green, blue, alpha = _rgba(color)
    text = f" {attribute}={quoteattr(f'#{red:02x}{green:02x}{blue:02x}')}"
    return text + (f' {attribute}-opacity="{alpha / 255:.2f}"' if alpha < 255 else "")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- PNG -----------------------------------------------------------------------


def to_png(scene: Scene) -> Image.Image:
    """The scene as an RGB image of scene.width x scene.height pixels."""
    scale = SUPERSAMPLE
    image = Image.new("RGBA", (scene.width * scale, scene.height * scale), _rgba(scene.background))
    for color, draw_with in _paint_steps(scene.items, scale):
        if _rgba(color)[3] == 255:
            draw_with(ImageDraw.Draw(image), _rgba(color))
        else:  # Pillow replaces pixels rather than blending, so a see-through colour gets its own layer
            layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw_with(ImageDraw.Draw(layer), _rgba(color))
            image.alpha_composite(layer)
    return image.resize((scene.width, scene.height), Image.Resampling.LANCZOS).convert("RGB")


def _paint_steps(items: Iterable[Item], scale: int) -> Iterator[tuple[str, Drawer]]:
    """(colour, draw function) for each fill, outline and text, in painting order."""
    for item in items:
        if isinstance(item, Text):
            yield item.color, _text_drawer(item, scale)
            continue
        if isinstance(item, Circle):
            points = ellipse(item.center, item.radius, item.radius, samples=max(24, int(item.radius * 4)))
        else:
            points = item.points
        scaled = [(x * scale, y * scale) for x, y in points]
        closed = isinstance(item, Circle) or item.closed
        if item.paint.fill and closed:
            yield item.paint.fill, lambda draw, rgba, pts=scaled: draw.polygon(pts, fill=rgba)
        if item.paint.stroke and item.paint.width > 0:
            yield item.paint.stroke, _stroke_drawer(scaled, closed, item.paint, scale)


def _text_drawer(item: Text, scale: int) -> Drawer:
    font = ImageFont.load_default(size=item.size * scale)
    bold = round(item.size * scale * 0.035) if item.bold else 0

    def draw_text(draw: ImageDraw.ImageDraw, rgba: RGBA) -> None:
        at = (item.at[0] * scale, item.at[1] * scale)
        draw.text(at, item.text, fill=rgba, font=font, anchor="ms", stroke_width=bold, stroke_fill=rgba)

    return draw_text


def _stroke_drawer(points: list[Point], closed: bool, paint: Paint, scale: int) -> Drawer:
    width = paint.width * scale
    path = [*points, points[0], points[1]] if closed and len(points) > 1 else points
    runs = _dashes(path, paint.dash[0] * scale, paint.dash[1] * scale) if paint.dash else [path]

    def draw_stroke(draw: ImageDraw.ImageDraw, rgba: RGBA) -> None:
        for run in runs:
            if len(run) > 1:
                draw.line(run, fill=rgba, width=max(1, round(width)), joint="curve")
            if not closed or paint.dash:  # round ends, as SVG's stroke-linecap="round"
                for x, y in (run[0], run[-1]):
                    draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=rgba)

    return draw_stroke


def _dashes(path: Sequence[Point], drawn: float, gap: float) -> list[list[Point]]:
    """Split a polyline into the runs a dashed outline draws."""
    runs: list[list[Point]] = []
    current: list[Point] = [path[0]]
    drawing, left = True, drawn
    for start, end in zip(path[:-1], path[1:], strict=True):
        length = math.dist(start, end)
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            point = (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
            if drawing:
                current.append(point)
                runs.append(current)
            current = [point]
            drawing, left = not drawing, gap if drawing else drawn
        left -= length - done
        if drawing:
            current.append(end)
    if drawing and len(current) > 1:
        runs.append(current)
    return runs


def _rgba(color: str) -> RGBA:
    digits = color.lstrip("#")
    if len(digits) not in (6, 8):
        raise ValueError(f"colour {color!r} is not #rrggbb or #rrggbbaa")
    values = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    return (values[0], values[1], values[2], values[3] if len(values) == 4 else 255)
