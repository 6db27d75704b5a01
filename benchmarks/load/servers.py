"""The servers a load run measures: a Rasa server and its action server per bot, started the same
way for both bots (REST channel only, loopback, SQLite tracker store in a temp dir), and the peak
memory of each process read from /proc."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PROJECT_ROOT as ROOT
from tests.integration.servers import VENV_BIN, Server, free_port, server_env

BASELINE_DIR = ROOT / "build" / "baseline"
REST_ONLY = "rest:\n"


@dataclass
class Bot:
    """A Rasa server and its own action server."""

    name: str
    rasa: Server
    actions: Server

    @property
    def url(self) -> str:
        return self.rasa.url

    def processes(self) -> list[Server]:
        return [self.actions, self.rasa]


def actions_process(name: str, cwd: Path, log_dir: Path) -> Server:
    port = free_port()
    args = [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port)]
    return Server(f"{name}-actions", args, port, "/health", log_dir, cwd=cwd)


def rasa_process(name: str, cwd: Path, model: Path, endpoints: Path, log_dir: Path) -> Server:
    credentials = log_dir / "credentials-rest.yml"
    credentials.write_text(REST_ONLY, encoding="utf-8")
    port = free_port()
    args = [str(VENV_BIN / "rasa"), "run", "--interface", "127.0.0.1", "--port", str(port)]
    args += ["--model", str(model), "--endpoints", str(endpoints), "--credentials", str(credentials)]
    return Server(f"{name}-rasa", args, port, "/", log_dir, cwd=cwd)


def sqlite_endpoints(actions: Server, tracker_db: Path) -> str:
    return (
        f'action_endpoint:\n  url: "{actions.url}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n"
    )


EndpointsWriter = Callable[[Path, Server], Path]


def bot(name: str, cwd: Path, model: Path, log_dir: Path, write_endpoints: EndpointsWriter | None = None) -> Bot:
    """A bot on loopback; its endpoints file (written by `write_endpoints(path, actions)`) names its
    action server and, unless given, a SQLite tracker store in `log_dir`."""
    actions = actions_process(name, cwd, log_dir)
    endpoints = log_dir / f"endpoints-{name}.yml"
    if write_endpoints:
        write_endpoints(endpoints, actions)
    else:
        endpoints.write_text(sqlite_endpoints(actions, log_dir / f"tracker-{name}.db"), encoding="utf-8")
    return Bot(name, rasa_process(name, cwd, model, endpoints, log_dir), actions)


def start(bots: Iterable[Bot]) -> None:
    """Launch every process first, then wait for each: the servers load their models side by side."""
    bots = list(bots)
    for one in bots:
        for process in one.processes():
            process.launch()
    for one in bots:
        for process in one.processes():
            process.wait_ready()


def stop(bots: Iterable[Bot]) -> None:
    for one in bots:
        for process in reversed(one.processes()):
            process.stop()


def kneadle_bot(log_dir: Path, name: str = "kneadle", write_endpoints: EndpointsWriter | None = None) -> Bot:
    return bot(name, ROOT, ROOT / "models" / "kneadle.tar.gz", log_dir, write_endpoints)


def baseline_model(directory: Path = BASELINE_DIR) -> Path:
    """The `rasa init --no-prompt` bot's model, trained here with this Rasa once and reused: made
    in a side directory and moved into place only when training finished."""
    models = sorted((directory / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log = directory.with_name(directory.name + ".train.log")
    print(f"Training the `rasa init` bot once into {directory} (a few minutes; log: {log})...", flush=True)
    with log.open("wb") as output:
        done = subprocess.run(
            [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(partial)],
            cwd=ROOT,
            env=server_env(),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"`rasa init` failed (exit {done.returncode}):\n{tail}")
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
    return sorted((directory / "models").glob("*.tar.gz"))[-1]


def baseline_bot(log_dir: Path) -> Bot:
    return bot("baseline", BASELINE_DIR, baseline_model(), log_dir)


def descendants(pid: int) -> list[int]:
    """The process and every process under it, from /proc/<pid>/task/*/children."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += descendants(int(child))
    return found


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB; each one's own peak, summed."""
    total_kb = 0
    for one in descendants(pid):
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children, from /proc/<pid>/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for one in descendants(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def bot_cpu_seconds(one: Bot) -> tuple[float, float]:
    """CPU seconds used so far by a bot's Rasa server and by its action server."""
    return cpu_seconds(one.rasa.pid), cpu_seconds(one.actions.pid)
