"""The load benchmark's pure parts: percentiles, reading Kneadle's replies, and the targets."""

from __future__ import annotations

import math

import pytest
from aiohttp import web

from benchmarks.load.client import Person, Run, in_turns, session
from benchmarks.load.scripts import (
    ALONE,
    BASELINE_SCRIPT,
    NEXT,
    SCREENING_ANSWER,
    FixedScript,
    KneadleWalk,
    baseline_walk,
    step_of,
)
from benchmarks.load.stats import Sample, by_index, finite, percentile, ratio, summarise, verdict

BUTTONS = [{"title": "Next", "payload": "/next_step"}]


def step(k: int, n: int, extra: str = "") -> list[dict]:
    return [{"recipient_id": "x", "text": f"Step {k} of {n}: do this {extra}", "buttons": BUTTONS}]


SCREENING = [{"text": "I'm not a doctor, so this is general self-care guidance.", "buttons": [{"payload": "/deny"}]}]
ON_YOURSELF = [{"text": "Will you do this on yourself?", "buttons": [{"payload": ALONE}, {"payload": "/has_helper"}]}]
SUMMARY = [{"text": "That was the last step. Nicely done!"}]


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 99) == 7.0
    assert percentile(list(range(1, 101)), 99) == pytest.approx(99.01)


def test_no_values_give_no_percentile_rather_than_a_fast_one():
    assert math.isnan(percentile([], 50))
    assert not verdict("p95_think", ratio(math.nan, 100.0)).met


def test_summary_counts_errors_and_throughput():
    samples = [Sample(0, i, 0.1 * i, "empty reply" if i == 3 else None) for i in range(1, 5)]
    summary = summarise(samples, elapsed=2.0)
    assert (summary.messages, summary.errors, summary.throughput) == (4, 1, 2.0)
    assert summary.p50 == pytest.approx(250.0)


def test_message_index_buckets_show_growth():
    samples = [Sample(0, i, 0.05 if i <= 10 else 0.2) for i in range(1, 26)]
    rows = by_index(samples, 10)
    assert [(first, last) for first, last, _, _ in rows] == [(1, 10), (11, 20), (21, 25)]
    assert rows[0][2] == pytest.approx(50.0) and rows[2][3] == pytest.approx(200.0)


def test_step_is_read_from_the_last_step_line():
    assert step_of(step(3, 10) + [{"text": "How's the pressure?"}]) == (3, 10)
    assert step_of([{"text": "Let's try this"}, *step(1, 3)]) == (1, 3)
    assert step_of(SUMMARY) is None
    assert step_of([{"image": "https://example.org/a.png"}]) is None


def walk_through(walk: KneadleWalk, replies: list[list[dict]]) -> list[tuple[str | None, str | None]]:
    said = []
    for reply in replies:
        message = walk.message()
        said.append((message, walk.take(reply)))
    return said


def test_a_kneadle_walk_answers_the_questions_then_says_next_to_the_end():
    walk = KneadleWalk("my neck is stiff")
    said = walk_through(walk, [SCREENING, ON_YOURSELF, step(1, 3), step(2, 3), step(3, 3), SUMMARY])
    assert [message for message, _ in said] == ["my neck is stiff", SCREENING_ANSWER, ALONE, NEXT, NEXT, NEXT]
    assert all(error is None for _, error in said)
    assert walk.message() is None


def test_a_step_that_does_not_go_up_is_an_error_and_ends_the_walk():
    walk = KneadleWalk("my hands are numb")
    said = walk_through(walk, [step(1, 10), step(2, 10), step(2, 10)])
    assert said[-1][1] == "step 2 after step 2"
    assert walk.message() is None


@pytest.mark.parametrize(
    ("replies", "error"),
    [
        ([[]], "empty reply"),
        ([[{"text": "Sorry, I didn't get that."}]], "no walk-through started"),
        ([step(1, 10), [{"text": "We haven't started a technique yet."}]], "no step"),
        ([SCREENING, SCREENING], "no walk-through started"),  # the same question twice
        ([step(1, 1), step(1, 1)], "a step after the last one"),
    ],
)
def test_replies_that_do_not_move_the_walk_forward_are_errors(replies, error):
    assert walk_through(KneadleWalk("my hands are numb"), replies)[-1][1] == error


def test_the_baseline_script_needs_a_reply_to_every_message():
    script = FixedScript(["hi", "bye"])
    assert script.message() == "hi" and script.take([{"text": "Hey!"}]) is None
    assert script.message() == "bye" and script.take([]) == "empty reply"
    assert script.message() is None
    assert baseline_walk(0, 0).message() == BASELINE_SCRIPT[0]


@pytest.mark.parametrize(
    ("name", "value", "met"),
    [
        ("p95_think", 1.3, True),
        ("p95_think", 1.31, False),
        ("throughput", 0.7, True),
        ("throughput", 0.69, False),
        ("memory", 1.15, True),
        ("memory", 1.25, False),
        ("replicas", 1.5, True),
        ("replicas", 1.2, False),
    ],
)
def test_targets_compare_the_ratio_in_the_right_direction(name, value, met):
    assert verdict(name, value).met is met
    assert ("NOT MET" not in verdict(name, value).line(name)) is met


def test_ratio_of_nothing_measured_is_no_ratio_and_the_json_stays_strict():
    assert math.isnan(ratio(5.0, 0.0))
    assert ratio(5.0, 10.0) == 0.5
    assert finite({"a": [math.nan, 1.0], "b": (math.inf,)}) == {"a": [None, 1.0], "b": [None]}


def test_setups_take_turns_a_b_b_a_and_their_runs_are_pooled():
    taken = []

    def job(name: str) -> Run:
        taken.append(name)
        return Run([Sample(0, 1, 0.1)], 2.0)

    runs, order = in_turns({"a": lambda: job("a"), "b": lambda: job("b")}, rounds=2, flipped=False)
    assert order == taken == ["a", "b", "b", "a"]
    assert len(runs["a"].samples) == 2 and runs["a"].elapsed == 4.0
    assert in_turns({"a": lambda: job("a"), "b": lambda: job("b")}, rounds=1, flipped=True)[1] == ["b", "a"]


async def test_a_person_counts_http_errors_and_starts_a_new_conversation(aiohttp_rest_server):
    url, senders = aiohttp_rest_server
    person = Person(0, url, lambda number, in_conversation: FixedScript(["hi", "fail", "hi"]))
    async with session(1) as client:
        samples = [await person.talk(client) for _ in range(3)]
    assert [s.error for s in samples] == [None, "HTTP 500", None]
    assert senders[0] == senders[1] != senders[2]  # the error ended that conversation


@pytest.fixture
async def aiohttp_rest_server():
    """A stand-in REST channel: answers "hi", fails with a 500 on "fail"; records the senders."""
    senders: list[str] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        senders.append(body["sender"])
        if body["message"] == "fail":
            return web.Response(status=500)
        return web.json_response([{"recipient_id": body["sender"], "text": "Hey!"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", senders
    finally:
        await runner.cleanup()
