"""The README's run command in a pseudo-terminal, as a person uses it: type a complaint, read
the screening question and the first step with their numbered choices, answer by number."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator

import pexpect
import pytest

from kneadle.messages import default_messages
from tests.conftest import PROJECT_ROOT
from tests.integration.servers import free_port, server_env

pytestmark = pytest.mark.integration

START_TIMEOUT_SECONDS = 300
REPLY_TIMEOUT_SECONDS = 60


@pytest.fixture
def shell() -> Iterator[pexpect.spawn]:
    env = server_env(
        {
            "KNEADLE_ACTIONS_PORT": str(free_port()),
            "KNEADLE_PORT": str(free_port()),
            "KNEADLE_CONVERSATION_ID": f"pty-{uuid.uuid4().hex[:8]}",
        }
    )
    child = pexpect.spawn("make", ["run"], cwd=PROJECT_ROOT, env=env, encoding="utf-8", timeout=REPLY_TIMEOUT_SECONDS)
    child.logfile_read = sys.stdout
    child.expect_exact(default_messages()["shell_welcome"].text, timeout=START_TIMEOUT_SECONDS)
    yield child
    if child.isalive():
        child.sendline("/stop")
        child.expect(pexpect.EOF, timeout=60)
    child.close()


def test_a_walkthrough_and_an_emergency_in_the_terminal(shell: pexpect.spawn) -> None:
    shell.sendline("my hands are numb")
    shell.expect_exact("I'm not a doctor")
    shell.expect_exact("1) None of these")
    shell.expect_exact("8) I've been treated for a blood clot (DVT)")
    shell.expect_exact(default_messages()["shell_choices_hint"].text)

    shell.sendline("1")  # None of these
    shell.expect_exact("Step 1 of 10: ")
    shell.expect_exact("1) Next")
    shell.expect_exact("4) Stop")

    shell.sendline("1")  # Next
    shell.expect_exact("Step 2 of 10: ")
    shell.sendline("next")  # words work as well as numbers
    shell.expect_exact("Step 3 of 10: ")
    shell.expect("> ")
    assert "check back" not in shell.before  # the terminal cannot push a reminder

    shell.sendline("there's a heavy pressure in my chest and it spreads into my jaw")
    shell.expect_exact("🚨")
    shell.expect_exact("call 112 now")
    shell.expect("> ")
    assert "](tel:" not in shell.before

    shell.sendline("/stop")
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 0
