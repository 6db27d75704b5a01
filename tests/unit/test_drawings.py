"""Every picture has one drawing, rendered to SVG that parses and to a PNG of the right size, both
from the same description; the script writes them where `make web` serves them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from kneadle import drawings
from kneadle.diagram import Circle, Paint, Scene, Shape, Text, smooth, to_png, to_svg
from kneadle.pictures import default_pictures
from tests.conftest import PROJECT_ROOT

SVG = "{http://www.w3.org/2000/svg}"
PICTURE_IDS = sorted(default_pictures().pictures)
# Where each picture's place is, in its own coordinates (a pixel inside the highlight).
PLACES = {
    "jianjing": (172, 165),
    "dazhui": drawings.DAZHUI,
    "beside_spine": (224, 300),
    "shoulder_blades": (185, 220),
    "palm": drawings.PALM_CENTER,
    "wrist_tendons": (238, 380),
}
BASE_VIEWS = {
    "jianjing": drawings.back_view,
    "dazhui": drawings.back_view,
    "beside_spine": drawings.back_view,
    "shoulder_blades": drawings.back_view,
    "palm": drawings.palm_view,
    "wrist_tendons": drawings.palm_view,
}


def scene(picture_id: str) -> Scene:
    return drawings.drawing(default_pictures().pictures[picture_id])


def test_every_picture_has_a_drawing_and_every_drawing_a_picture() -> None:
    assert set(drawings.DRAWINGS) == set(default_pictures().pictures)
    assert set(PLACES) == set(PICTURE_IDS)


@pytest.mark.parametrize("picture_id", PICTURE_IDS)
def test_the_svg_parses_and_says_what_it_shows(picture_id: str) -> None:
    picture = default_pictures().pictures[picture_id]
    root = ElementTree.fromstring(to_svg(scene(picture_id)))
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("480", "480", "0 0 480 480")
    assert root.find(f"{SVG}title").text == picture.label
    assert root.find(f"{SVG}desc").text == picture.alt
    labels = [element.text for element in root.iter(f"{SVG}text")]
    assert labels == [picture.label]
    assert len(list(root.iter(f"{SVG}polygon"))) > 5


@pytest.mark.parametrize("picture_id", PICTURE_IDS)
def test_the_png_has_the_scene_size_and_shows_the_place_highlighted(picture_id: str) -> None:
    image = to_png(scene(picture_id))
    assert image.size == (480, 480)
    assert image.mode == "RGB"
    # The place is tinted toward the accent colour, compared with the same view without it.
    plain = Scene(480, 480, drawings.BACKGROUND, "", "", tuple(BASE_VIEWS[picture_id]()))
    x, y = (round(v) for v in PLACES[picture_id])
    red, green, blue = image.getpixel((x, y))
    plain_red, plain_green, plain_blue = to_png(plain).getpixel((x, y))
    assert red - green > plain_red - plain_green + 30, (image.getpixel((x, y)), (plain_red, plain_green, plain_blue))


@pytest.mark.parametrize("picture_id", PICTURE_IDS)
def test_the_label_is_drawn_below_the_figure(picture_id: str) -> None:
    image = to_png(scene(picture_id))
    band = image.crop((0, 425, 480, 462))
    label_pixels = sum(1 for r, g, b in band.getdata() if r < 200 and g < 120)
    assert label_pixels > 150
    without_label = Scene(480, 480, drawings.BACKGROUND, "", "", scene(picture_id).items[:-1])
    assert to_png(without_label).crop((0, 425, 480, 462)).getcolors() == [(480 * 37, (251, 247, 242))]


def test_both_formats_come_from_one_description() -> None:
    """A see-through fill, an outline, a dashed polyline and text render the same way in each."""
    tiny = Scene(
        40,
        30,
        "#ffffff",
        "Tiny & <small>",
        "A test scene",
        (
            Shape(((5, 5), (35, 5), (35, 25), (5, 25)), Paint(fill="#ff000080", stroke="#000000", width=2)),
            Circle((20, 15), 4, Paint(fill="#0000ff")),
            Shape(((5, 28), (35, 28)), Paint(stroke="#00ff00", width=1, dash=(3, 2)), closed=False),
            Text((20, 12), "Hi", 8, "#000000", bold=True),
        ),
    )
    svg = to_svg(tiny)
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Tiny & <small>"
    square = root.find(f"{SVG}polygon")
    assert (square.get("fill"), square.get("fill-opacity"), square.get("stroke")) == ("#ff0000", "0.50", "#000000")
    assert root.find(f"{SVG}polyline").get("stroke-dasharray") == "3 2"
    assert root.find(f"{SVG}circle").get("r") == "4"
    assert root.find(f"{SVG}text").get("font-weight") == "bold"
    png = to_png(tiny)
    assert png.getpixel((10, 20)) == pytest.approx((255, 127, 127), abs=3)  # half-see-through red on white
    assert png.getpixel((20, 15)) == pytest.approx((0, 0, 255), abs=3)
    assert png.getpixel((1, 1)) == (255, 255, 255)


def test_smooth_curves_pass_through_their_points() -> None:
    points = [(0.0, 0.0), (10.0, 5.0), (20.0, 0.0)]
    curve = smooth(points, samples=5)
    assert curve[0] == points[0] and curve[-1] == points[-1] and points[1] in curve
    assert len(curve) == 11


def test_the_script_writes_every_picture_and_removes_stale_ones(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "old_place.png").write_bytes(b"stale")
    result = subprocess.run(
        [sys.executable, "scripts/draw_pictures.py", str(folder)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"{picture_id}.{kind}" for picture_id in PICTURE_IDS for kind in ("png", "svg")
    )
    for picture_id in PICTURE_IDS:
        with Image.open(folder / f"{picture_id}.png") as image:
            assert (image.format, image.size) == ("PNG", (480, 480))
        ElementTree.parse(folder / f"{picture_id}.svg")


def test_setup_draws_the_pictures_into_web_pictures_which_git_ignores() -> None:
    setup = (PROJECT_ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "scripts/draw_pictures.py" in setup
    assert "PICTURES=web/pictures" in setup
    assert "web/pictures/" in (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
