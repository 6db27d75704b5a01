"""Draw the step pictures: every place in data/knowledge/pictures.yml as <id>.svg and <id>.png.

Each picture is described once in kneadle/drawings.py and rendered to both formats from that one
description; the files go to web/pictures/ (gitignored), which `make web` serves and
KNEADLE_PICTURES_URL points the channels at. `make setup` runs this when its inputs change.

Usage: python scripts/draw_pictures.py [FOLDER]   (default web/pictures)
"""

from __future__ import annotations

import sys
from pathlib import Path

from kneadle.datafile import DataFileError
from kneadle.drawings import write_pictures
from kneadle.knowledge import PROJECT_ROOT
from kneadle.pictures import load_pictures

DEFAULT_FOLDER = PROJECT_ROOT / "web" / "pictures"


def main(arguments: list[str]) -> int:
    folder = Path(arguments[0]) if arguments else DEFAULT_FOLDER
    try:
        written = write_pictures(load_pictures(), folder)
    except DataFileError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Drew {len(written) // 2} pictures in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
