"""Step pictures through the real servers: in the web widget (socket.io) the palm step comes right
after its picture, fetched from KNEADLE_PICTURES_URL; the REST channel gets the words only."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from kneadle.drawings import write_pictures
from kneadle.pictures import default_pictures
from tests.integration.conftest import Conversation, SocketPerson
from tests.integration.servers import Server, action_server, rasa_server, static_site

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pictures_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A stand-in for `make web`: a loopback web server for freshly drawn pictures."""
    root = tmp_path_factory.mktemp("web")
    write_pictures(default_pictures(), root / "pictures")
    with static_site(root) as url:
        yield f"{url}/pictures"


@pytest.fixture(scope="module")
def rasa_with_pictures(log_dir: Path, pictures_url: str) -> Iterator[Server]:
    actions = action_server(log_dir, env={"KNEADLE_PICTURES_URL": pictures_url}).start()
    try:
        rasa = rasa_server(log_dir, actions, log_dir / "pictures.db").start()
        yield rasa
        rasa.stop()
    finally:
        actions.stop()


@pytest.fixture
def person(rasa_with_pictures: Server) -> Iterator[SocketPerson]:
    person = SocketPerson(rasa_with_pictures)
    yield person
    person.close()


def test_in_the_web_widget_the_palm_step_comes_after_its_picture(person: SocketPerson, pictures_url: str) -> None:
    person.say("my hands are numb", expect="I'm not a doctor")
    first = person.say("/deny", expect="Step 1 of 10")
    person.say("next", expect="Step 2 of 10")
    step_3 = person.say("next", expect="Step 3 of 10: Thumb circles on your palm")

    before = person.received[step_3 - 1]
    assert before == {"attachment": {"type": "image", "payload": {"src": f"{pictures_url}/palm.png"}}}
    images = [message for message in person.received if "attachment" in message]
    assert images == [before]  # steps 1 and 2 name no place
    assert first < step_3

    response = requests.get(before["attachment"]["payload"]["src"], timeout=10)
    assert response.status_code == 200
    with Image.open(BytesIO(response.content)) as picture:
        assert (picture.format, picture.size) == ("PNG", (480, 480))


def test_the_rest_channel_gets_the_words_only(rasa_with_pictures: Server) -> None:
    conversation = Conversation(rasa_with_pictures)
    replies: list[dict[str, Any]] = []
    for text in ("my hands are numb", "none of these", "next", "next"):
        replies += conversation.say(text)
    step_3 = [reply["text"] for reply in replies if reply.get("text", "").startswith("Step 3 of 10")]
    assert len(step_3) == 1
    assert "the palm of your other hand" in step_3[0]
    assert not any("image" in reply or "attachment" in reply for reply in replies)
