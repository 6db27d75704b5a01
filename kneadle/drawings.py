"""Kneadle's pictures: each place that steps name, drawn once as a diagram (kneadle.diagram).

Two simple figures, a back seen from behind and an open hand seen from the palm side, each with
the place highlighted and the picture's label (from data/knowledge/pictures.yml) below.
`write_pictures` writes every picture as <id>.svg and <id>.png (scripts/draw_pictures.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from kneadle.diagram import (
    Circle,
    Item,
    Paint,
    Point,
    Scene,
    Shape,
    Text,
    ellipse,
    mirror,
    silhouette,
    smooth,
    to_png,
    to_svg,
)
from kneadle.pictures import Picture, Pictures

SIZE = 480
MIDDLE = SIZE / 2
BACKGROUND = "#fbf7f2"
SKIN = "#f3d7c2"
OUTLINE = "#6e4e3c"
DETAIL = "#c49a80"
BONE = "#a57c64"
ACCENT = "#d9480f"
SHADE = ACCENT + "55"  # the highlighted place: the accent, see-through
LABEL_COLOR = "#a8360b"
LABEL_BASELINE = 452
LABEL_SIZE = 32


def _strip(left: float, right: float, top: float, bottom: float) -> tuple[Point, ...]:
    """A rounded upright strip."""
    radius = (right - left) / 2
    middle = (left + right) / 2
    top_arc = [p for p in ellipse((middle, top + radius), radius, radius, samples=24) if p[1] <= top + radius]
    bottom_arc = [p for p in ellipse((middle, bottom - radius), radius, radius, samples=24) if p[1] >= bottom - radius]
    return tuple(sorted(bottom_arc, key=lambda p: -p[0]) + sorted(top_arc, key=lambda p: p[0]))


# --- the back, seen from behind ---------------------------------------------------

NECK_BASE_BONE: Point = (MIDDLE, 140.0)  # C7, "the bone that sticks out the most" at the base of the neck
DAZHUI: Point = (MIDDLE, 164.0)  # the hollow just below it
SHOULDER_END: Point = (104.0, 186.0)  # the outer end of the left shoulder
SPINE_TOP, SPINE_BOTTOM = 132.0, 396.0
HIPS = 392.0


def _back_parts() -> list[tuple[Point, ...]]:
    """The left half of the torso (mirrored for the right), the arms, and the head."""
    left_side = smooth(
        [
            (222, 92),
            (221, 128),
            (206, 146),
            (168, 158),
            (128, 168),
            (100, 184),
            (86, 212),
            (90, 250),
            (99, 300),
            (109, 350),
            (110, 378),
            (104, 412),
        ]
    )
    torso = left_side + tuple(reversed(mirror(left_side, MIDDLE)))
    outer_edge = smooth([(94, 188), (78, 214), (68, 262), (61, 330), (58, 412)])
    inner_edge = smooth([(108, 222), (106, 276), (101, 340), (94, 412)])
    left_arm = outer_edge + tuple(reversed(inner_edge))  # cut straight across at the bottom, like the torso
    head = ellipse((MIDDLE, 70), 44, 52)
    ears = [ellipse((MIDDLE - 44, 76), 8, 14), ellipse((MIDDLE + 44, 76), 8, 14)]
    return [left_arm, mirror(left_arm, MIDDLE), torso, *ears, head]


def _shoulder_blade() -> tuple[Point, ...]:
    """The left shoulder blade: a rounded triangle, its point lowest, beside the spine."""
    return smooth(
        [(202, 184), (170, 178), (138, 186), (150, 218), (176, 256), (193, 274), (203, 240), (206, 206)],
        closed=True,
    )


def back_view() -> list[Item]:
    """The back with its landmarks: the spine, the bone at the base of the neck, the shoulder blades."""
    items = silhouette(_back_parts(), SKIN, OUTLINE, 2.5)
    blade = _shoulder_blade()
    for outline in (blade, mirror(blade, MIDDLE)):
        items.append(Shape(outline, Paint(stroke=DETAIL, width=2)))
    spacing = 13.2
    count = int((SPINE_BOTTOM - SPINE_TOP) / spacing) + 1
    for index in range(count):
        y = SPINE_TOP + index * spacing
        if abs(y - NECK_BASE_BONE[1]) > spacing / 2:
            items.append(Circle((MIDDLE, y), 3.6, Paint(fill=DETAIL)))
    items.append(Circle(NECK_BASE_BONE, 6.5, Paint(fill=BONE)))
    return items


def point_mark(at: Point, halo: float = 15) -> list[Item]:
    """A point to press: a see-through halo with a solid dot."""
    return [
        Circle(at, halo, Paint(fill=SHADE)),
        Circle(at, 7, Paint(fill=ACCENT, stroke="#ffffff", width=2)),
    ]


def jianjing() -> list[Item]:
    """Halfway along a line from the outer end of the shoulder to the spine, on both shoulders."""
    items = back_view()
    for end in (SHOULDER_END, mirror([SHOULDER_END], MIDDLE)[0]):
        items.append(Shape((end, NECK_BASE_BONE), Paint(stroke=ACCENT, width=2.5, dash=(7, 7)), closed=False))
        items.append(Circle(end, 4, Paint(fill=ACCENT)))
        halfway = ((end[0] + NECK_BASE_BONE[0]) / 2, (end[1] + NECK_BASE_BONE[1]) / 2 + 2)
        items += point_mark(halfway)
    return items


def dazhui() -> list[Item]:
    """The hollow just below the bone that sticks out at the base of the neck."""
    items = back_view()
    items.append(Circle(NECK_BASE_BONE, 8, Paint(fill=OUTLINE)))
    return items + point_mark(DAZHUI, halo=12)


def beside_spine() -> list[Item]:
    """The strips of muscle on each side of the spine, from below the neck to just above the hips."""
    items = back_view()
    strip = _strip(216, 232, 152, HIPS)
    for side in (strip, mirror(strip, MIDDLE)):
        items.append(Shape(side, Paint(fill=SHADE, stroke=ACCENT, width=2)))
    return items


def shoulder_blades() -> list[Item]:
    items = back_view()
    blade = _shoulder_blade()
    for outline in (blade, mirror(blade, MIDDLE)):
        items.append(Shape(outline, Paint(fill=SHADE, stroke=ACCENT, width=2.5)))
    return items


# --- the hand, seen from the palm side ---------------------------------------------

PALM_CENTER: Point = (244.0, 262.0)
WRIST_Y = 330.0


def _hand_parts() -> list[tuple[Point, ...]]:
    """Forearm, palm, four fingers and the thumb (thumb on the left)."""
    forearm = ((207, 300), (203, 412), (285, 412), (281, 300))
    palm = smooth(
        [
            (206, 336),
            (182, 300),
            (166, 250),
            (164, 206),
            (180, 188),
            (244, 184),
            (310, 190),
            (322, 214),
            (318, 262),
            (304, 300),
            (282, 336),
            (244, 342),
        ],
        closed=True,
    )
    fingers = [
        _strip(166, 199, 80, 214),  # index
        _strip(204, 238, 56, 206),  # middle
        _strip(243, 276, 70, 208),  # ring
        _strip(281, 310, 106, 216),  # little
    ]
    thumb = smooth(
        [(180, 318), (150, 290), (118, 256), (104, 226), (110, 206), (128, 208), (150, 234), (178, 258), (196, 280)],
        closed=True,
    )
    return [forearm, thumb, *fingers, palm]


def palm_view() -> list[Item]:
    """The hand with its creases: the palm lines, the finger joints and the wrist."""
    items = silhouette(_hand_parts(), SKIN, OUTLINE, 2.5)
    detail = Paint(stroke=DETAIL, width=2)
    creases = [
        smooth([(314, 226), (280, 222), (246, 216), (218, 204)]),  # heart line
        smooth([(174, 226), (210, 238), (250, 246), (290, 254)]),  # head line
        smooth([(176, 228), (188, 264), (202, 300), (216, 330)]),  # life line, round the thumb
        ((214, WRIST_Y + 2), (276, WRIST_Y + 2)),  # wrist creases
        ((212, WRIST_Y + 12), (278, WRIST_Y + 12)),
    ]
    finger_joints = ((168, 197, 122, 162), (206, 236, 104, 150), (245, 274, 114, 156), (283, 308, 142, 178))
    for left, right, *joints in finger_joints:
        creases += [((left + 6, y), (right - 6, y)) for y in joints]
    items += [Shape(points, detail, closed=False) for points in creases]
    return items


def palm() -> list[Item]:
    """The soft middle of the hand, below the fingers."""
    items = palm_view()
    items.append(Shape(ellipse(PALM_CENTER, 56, 50), Paint(fill=SHADE, stroke=ACCENT, width=2.5)))
    return items


def wrist_tendons() -> list[Item]:
    """The row of tendons on the inner side of the wrist, running from the palm into the forearm."""
    items = palm_view()
    items.append(Shape(_strip(212, 276, 302, 406), Paint(fill=SHADE)))
    for x in (224, 238, 251, 264):
        items.append(Shape(smooth([(x, 310), (x - 1, 352), (x - 2, 400)]), Paint(stroke=ACCENT, width=4), False))
    return items


# --- pictures --------------------------------------------------------------------

DRAWINGS: Mapping[str, Callable[[], list[Item]]] = MappingProxyType(
    {
        "jianjing": jianjing,
        "dazhui": dazhui,
        "beside_spine": beside_spine,
        "shoulder_blades": shoulder_blades,
        "palm": palm,
        "wrist_tendons": wrist_tendons,
    }
)


def drawing(picture: Picture) -> Scene:
    """The picture's diagram with its label below; KeyError if no drawing has its id."""
    items = [*DRAWINGS[picture.id](), Text((MIDDLE, LABEL_BASELINE), picture.label, LABEL_SIZE, LABEL_COLOR, bold=True)]
    return Scene(SIZE, SIZE, BACKGROUND, picture.label, picture.alt, tuple(items))


def write_pictures(pictures: Pictures, folder: Path) -> list[Path]:
    """Write <id>.svg and <id>.png for every picture into `folder`, and remove pictures no longer listed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for picture in pictures.pictures.values():
        scene = drawing(picture)
        svg, png = folder / f"{picture.id}.svg", folder / f"{picture.id}.png"
        svg.write_text(to_svg(scene), encoding="utf-8")
        to_png(scene).save(png, optimize=True)
        written += [svg, png]
    for stale in [*folder.glob("*.svg"), *folder.glob("*.png")]:
        if stale not in written:
            stale.unlink()
    return written
