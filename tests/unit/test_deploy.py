"""The production deployment files are valid and safe: compose with nginx, and Kubernetes (offline).

No Docker engine, cluster or Helm runs here, so each file is checked with what does run:
- `docker-compose config` (Debian's docker-compose) parses docker-compose.production.yml with its
  variables, and the parsed result is checked (only nginx publishes a port, on loopback; the
  action servers, Redis and PostgreSQL are on an internal network; health checks, restarts, ...);
- Rasa itself reads the production endpoints and channels files, with the variables set;
- Debian's nginx runs `nginx -t` on deploy/nginx/kneadle.conf, then serves requests through it
  to two fake Rasa replicas on loopback (socket.io pinned, webhooks spread, the API not passed on);
- kubernetes-validate checks every manifest against the Kubernetes schema (strict: unknown fields
  fail), and the parsed manifests are checked for probes, resources, secrets and affinity;
- everywhere, the unsafe defaults of Rasa's own charts (API on without a token, "rasaToken",
  CORS "*") fail the test.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

PRODUCTION_COMPOSE = PROJECT_ROOT / "docker-compose.production.yml"
ENDPOINTS = PROJECT_ROOT / "docker" / "endpoints.production.yml"
CREDENTIALS = PROJECT_ROOT / "docker" / "credentials.production.yml"
NGINX_CONF = PROJECT_ROOT / "deploy" / "nginx" / "kneadle.conf"
KUBERNETES = PROJECT_ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.28.0"
# The secrets a production start needs; a test value for each.
SECRETS = {
    "KNEADLE_ACTION_TOKEN": "test-action-token",
    "KNEADLE_REDIS_PASSWORD": "test-redis-password",
    "KNEADLE_POSTGRES_PASSWORD": "test-postgres-password",
}
SECRET_NAME = re.compile(r"TOKEN|PASSWORD|SECRET")
VARIABLE = re.compile(r"\$\{(\w+)\}")
RASA_API_PATHS = ["/", "/status", "/version", "/model", "/model/parse", "/conversations/someone/tracker"]


def required_tool(name: str, package: str) -> str:
    """The tool's path; CI (CI=true) fails without it, elsewhere the test is skipped."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs Debian's {package} package")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def yaml_documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def variables(*paths: Path) -> set[str]:
    """The ${VAR}s Rasa expands in these files (comments left out)."""
    names: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            names |= set(VARIABLE.findall(line.split("#", 1)[0]))
    return names


# --- Unsafe settings, wherever they are --------------------------------------------------------


def unsafe_settings(document: Any, where: str = "") -> list[str]:
    """What in a parsed compose file, manifest or Rasa file is one of the unsafe defaults we refuse.

    Rasa's own charts run the HTTP API with the token "rasaToken" and `--cors "*"`. A command with
    --enable-api must also carry --auth-token or --jwt-secret; no value may be "*" (CORS) or
    mention rasaToken.
    """
    problems: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            problems += unsafe_settings(value, f"{where}.{key}")
    elif isinstance(document, list):
        words = [item for item in document if isinstance(item, str)]
        if "--enable-api" in words and not {"--auth-token", "--jwt-secret"} & set(words):
            problems.append(f"{where}: --enable-api without --auth-token or --jwt-secret")
        for index, item in enumerate(document):
            problems += unsafe_settings(item, f"{where}[{index}]")
    elif isinstance(document, str):
        if document.strip().strip("'\"") == "*" or re.search(r"--cors[= ]+['\"]?\*", document):
            problems.append(f"{where}: CORS or an origin set to '*'")
        if "rasatoken" in document.lower():
            problems.append(f"{where}: the token 'rasaToken'")
        command = " " in document.strip()
        if command and re.search(r"--enable-api\b", document) and not re.search(r"--auth-token|--jwt-secret", document):
            problems.append(f"{where}: --enable-api without --auth-token or --jwt-secret")
    return problems


DEPLOYMENT_YAML = [
    PROJECT_ROOT / "docker-compose.yml",
    PRODUCTION_COMPOSE,
    PROJECT_ROOT / "docker" / "endpoints.yml",
    ENDPOINTS,
    CREDENTIALS,
    *sorted(KUBERNETES.glob("*.yaml")),
]


def test_the_unsafe_defaults_of_rasas_charts_are_caught() -> None:
    """The check itself: Rasa's Helm chart defaults each give a problem, our safe settings none."""
    helm_like = {
        "args": ["run", "--enable-api", "--cors", "*", "--auth-token", "rasaToken"],
        "command": "rasa run --enable-api --cors '*'",
        "socketio": {"cors_allowed_origins": ["*"]},
    }
    problems = unsafe_settings(helm_like)
    assert any("'*'" in problem for problem in problems if problem.startswith(".args"))
    assert any("rasaToken" in problem for problem in problems)
    assert any(problem.startswith(".command") and "--enable-api" in problem for problem in problems)
    assert any(problem.startswith(".socketio") for problem in problems)
    assert unsafe_settings({"args": ["run", "--enable-api", "--auth-token", "${TOKEN}"]}) == []
    assert unsafe_settings({"args": ["run", "--enable-api"]}) != []


@pytest.mark.parametrize("path", DEPLOYMENT_YAML, ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_no_deployment_file_has_an_unsafe_setting(path: Path) -> None:
    assert unsafe_settings(yaml_documents(path)) == []


@pytest.mark.parametrize("path", ["Dockerfile", "docker/rasa.Dockerfile", "deploy/nginx/kneadle.conf"])
def test_no_image_or_proxy_turns_the_api_on(path: str) -> None:
    text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert unsafe_settings(code) == []
    assert "--enable-api" not in code and "--cors" not in code


# --- docker-compose.production.yml ---------------------------------------------------------------


def compose_config(tmp_path: Path, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`docker-compose config` on the production file with exactly these settings (no .env read)."""
    compose = required_tool("docker-compose", "docker-compose")
    env_file = tmp_path / "empty.env"
    env_file.write_text("", encoding="utf-8")
    ours = ("KNEADLE_", "SLACK_", "TELEGRAM_")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    return subprocess.run(
        [compose, "--env-file", str(env_file), "-f", str(PRODUCTION_COMPOSE), "config"],
        cwd=PROJECT_ROOT,
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The production compose file as docker-compose reads it, with only the required secrets set."""
    result = compose_config(tmp_path_factory.mktemp("compose"), SECRETS)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_the_production_stack_does_not_start_without_its_secrets(tmp_path: Path, missing: str) -> None:
    settings = {name: value for name, value in SECRETS.items() if name != missing}
    result = compose_config(tmp_path, {**settings, missing: ""})
    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_the_production_stack_has_every_service(production: dict[str, Any]) -> None:
    assert set(production["services"]) == {"nginx", "rasa", "actions", "redis", "postgres"}
    for name in ("rasa", "actions"):
        assert production["services"][name]["deploy"]["replicas"] >= 2, name


def test_only_nginx_publishes_a_port_and_only_on_loopback(production: dict[str, Any]) -> None:
    services = production["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert all(str(port).startswith("127.0.0.1:") for port in services["nginx"]["ports"])
    assert services["actions"]["expose"] == ["5055"]


def test_the_backends_are_on_an_internal_network_only(production: dict[str, Any]) -> None:
    services = production["services"]
    internal = {name for name, network in production["networks"].items() if (network or {}).get("internal")}
    assert internal
    for name in ("actions", "redis", "postgres"):
        assert set(services[name]["networks"]) <= internal, name
    assert set(services["rasa"]["networks"]) & internal
    assert not set(services["nginx"]["networks"]) & internal


def test_every_service_has_a_health_check_and_restarts(production: dict[str, Any]) -> None:
    for name, service in production["services"].items():
        assert service.get("healthcheck", {}).get("test"), name
        assert service.get("restart") in ("always", "unless-stopped"), name


def test_rasa_runs_the_production_files_without_the_api(production: dict[str, Any]) -> None:
    command = production["services"]["rasa"]["command"]
    assert command[command.index("--endpoints") + 1] == "endpoints.production.yml"
    assert command[command.index("--credentials") + 1] == "credentials.production.yml"
    assert "--enable-api" not in command and "--cors" not in command


def test_compose_sets_every_variable_the_production_files_need(production: dict[str, Any]) -> None:
    """Rasa 3.6 stops start-up on an unset ${VAR}: every one must be set, and not empty."""
    environment = production["services"]["rasa"]["environment"]
    for name in variables(ENDPOINTS, CREDENTIALS):
        assert environment.get(name), name
    actions = production["services"]["actions"]["environment"]
    assert actions["KNEADLE_ACTION_TOKEN"] == environment["KNEADLE_ACTION_TOKEN"] == SECRETS["KNEADLE_ACTION_TOKEN"]
    assert environment["KNEADLE_ACTIONS_URL"].startswith("http://actions:5055/")


def test_postgres_keeps_the_conversations_on_a_volume(production: dict[str, Any]) -> None:
    postgres = production["services"]["postgres"]
    assert any(str(volume).endswith(":/var/lib/postgresql/data:rw") for volume in postgres["volumes"])
    assert postgres["environment"]["POSTGRES_PASSWORD"] == SECRETS["KNEADLE_POSTGRES_PASSWORD"]


# --- The production endpoints and channels, read by Rasa ----------------------------------------


@pytest.fixture
def production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment docker-compose.production.yml gives the Rasa servers."""
    for name in variables(ENDPOINTS, CREDENTIALS):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("KNEADLE_ACTIONS_URL", "http://actions:5055/webhook")
    monkeypatch.setenv("KNEADLE_REDIS_PORT", "6379")
    monkeypatch.setenv("KNEADLE_POSTGRES_PORT", "5432")
    monkeypatch.setenv("KNEADLE_WIDGET_ORIGIN", "https://www.example.org")
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("production_settings")
def test_rasa_reads_the_production_endpoints() -> None:
    from rasa.core.lock_store import RedisLockStore
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.utils.common import class_from_module_path

    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    assert endpoints.action.url == "http://actions:5055/webhook"
    assert endpoints.action.token == SECRETS["KNEADLE_ACTION_TOKEN"]
    assert issubclass(class_from_module_path(endpoints.lock_store.type), RedisLockStore)
    assert endpoints.lock_store.kwargs["password"] == SECRETS["KNEADLE_REDIS_PASSWORD"]
    assert issubclass(class_from_module_path(endpoints.tracker_store.type), SQLTrackerStore)
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.tracker_store.kwargs["password"] == SECRETS["KNEADLE_POSTGRES_PASSWORD"]


@pytest.mark.usefixtures("production_settings")
def test_rasa_builds_the_production_channels() -> None:
    from rasa.core.run import create_http_input_channels

    channels = {channel.name(): channel for channel in create_http_input_channels(None, str(CREDENTIALS))}
    assert {"rest", "socketio", "slack", "telegram", "health"} <= set(channels)
    assert channels["socketio"].session_persistence is True
    assert channels["socketio"].cors_allowed_origins == ["https://www.example.org"]


def test_an_unset_variable_stops_rasa(production_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why compose and Kubernetes must set every variable (the README's settings table)."""
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.exceptions import RasaException

    monkeypatch.delenv("KNEADLE_REDIS_PASSWORD")
    with pytest.raises(RasaException, match="KNEADLE_REDIS_PASSWORD"):
        AvailableEndpoints.read_endpoints(str(ENDPOINTS))


# --- nginx -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class FakeReplica:
    """A stand-in Rasa server that records what reaches it and answers with its name."""

    name: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def start(self) -> int:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                replica.requests.append({"method": self.command, "path": self.path, **dict(self.headers)})
                body = json.dumps({"replica": replica.name}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.server.server_address[1]

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def nginx_setup(folder: Path, port: int, upstreams: list[int]) -> Path:
    """A whole nginx.conf around a copy of kneadle.conf, listening on `port`, with these replicas."""
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf, replaced = re.subn(
        r"server rasa:5005([^;]*);",
        lambda match: " ".join(f"server 127.0.0.1:{upstream}{match.group(1)};" for upstream in upstreams),
        conf,
    )
    assert replaced == 2, "kneadle.conf: expected the two upstreams to name server rasa:5005"
    conf, replaced = re.subn(r"listen 80;", f"listen 127.0.0.1:{port};", conf)
    assert replaced == 1
    (folder / "kneadle.conf").write_text(conf, encoding="utf-8")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};" for kind in kinds)
    main = f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
{temp}
  include {folder / "kneadle.conf"};
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx = required_tool("nginx", "nginx")
    config = nginx_setup(tmp_path, free_port(), [free_port(), free_port()])
    result = subprocess.run(
        [nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@dataclass
class Proxy:
    port: int
    replicas: list[FakeReplica]

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    def served_by(self, method: str, path: str, **kwargs: Any) -> str:
        status, body = self.request(method, path, **kwargs)
        assert status == 200, (path, status, body[:200])
        return json.loads(body)["replica"]

    def reached(self, path: str) -> bool:
        return any(request["path"] == path for replica in self.replicas for request in replica.requests)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """nginx with kneadle.conf in front of two fake Rasa replicas, all on loopback."""
    nginx = required_tool("nginx", "nginx")
    folder = tmp_path_factory.mktemp("nginx")
    replicas = [FakeReplica("a"), FakeReplica("b")]
    process = None
    try:
        upstreams = [replica.start() for replica in replicas]
        port = free_port()
        config = nginx_setup(folder, port, upstreams)
        process = subprocess.Popen(
            [nginx, "-e", "stderr", "-p", str(folder), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {process.communicate(timeout=5)[1]!r}")
                time.sleep(0.05)
        yield Proxy(port, replicas)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for replica in replicas:
            replica.stop()


def test_webhooks_are_spread_over_the_replicas(proxy: Proxy) -> None:
    health = {proxy.served_by("GET", "/webhooks/health/") for _ in range(4)}
    message = json.dumps({"sender": "someone", "message": "hi"}).encode()
    rest = {
        proxy.served_by("POST", "/webhooks/rest/webhook", body=message, headers={"Content-Type": "application/json"})
        for _ in range(4)
    }
    assert health == rest == {"a", "b"}
    assert {proxy.served_by("POST", path, body=b"{}") for path in ("/webhooks/slack/webhook",) * 2} == {"a", "b"}


def test_socketio_clients_stay_on_one_replica(proxy: Proxy) -> None:
    polls = {proxy.served_by("GET", f"/socket.io/?EIO=4&transport=polling&t={n}") for n in range(6)}
    posts = {proxy.served_by("POST", "/socket.io/?EIO=4&transport=polling&sid=x", body=b"40") for _ in range(3)}
    assert len(polls) == 1 and posts == polls


def test_the_socketio_websocket_upgrade_is_passed_on(proxy: Proxy) -> None:
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"}
    proxy.served_by("GET", "/socket.io/?EIO=4&transport=websocket&sid=ws", headers=upgrade)
    (seen,) = [r for replica in proxy.replicas for r in replica.requests if r["path"].endswith("sid=ws")]
    assert seen["Upgrade"] == "websocket"
    assert seen["Connection"].lower() == "upgrade"


@pytest.mark.parametrize("path", [*RASA_API_PATHS, "/webhooks/../model", "/nlg", "/socket.io../model"])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST"])
def test_rasas_http_api_is_not_passed_on(proxy: Proxy, method: str, path: str) -> None:
    status, _ = proxy.request(method, path, body=b"{}" if method != "GET" else None)
    assert status == 404
    assert not proxy.reached(path) and not proxy.reached("/model")


def test_large_bodies_are_refused_before_rasa(proxy: Proxy) -> None:
    body = b'{"sender": "someone", "message": "' + b"a" * 1_000_000 + b'"}'
    status, _ = proxy.request("POST", "/webhooks/rest/webhook?big=1", body=body)
    assert status == 413
    assert not proxy.reached("/webhooks/rest/webhook?big=1")


def test_nginx_health_is_answered_by_nginx(proxy: Proxy) -> None:
    assert proxy.request("GET", "/nginx-health") == (200, b"ok\n")
    assert not proxy.reached("/nginx-health")


# --- Kubernetes --------------------------------------------------------------------------------


def kustomization() -> dict[str, Any]:
    return yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))


def manifests() -> list[dict[str, Any]]:
    return [doc for name in kustomization()["resources"] for doc in yaml_documents(KUBERNETES / name)]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in manifests() if doc["kind"] == kind}


def containers() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, container)
        for name, deployment in of_kind("Deployment").items()
        for container in deployment["spec"]["template"]["spec"]["containers"]
    ]


def test_the_kustomization_lists_every_manifest() -> None:
    listed = set(kustomization()["resources"])
    present = {path.name for path in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def kubernetes_validate() -> Any:
    try:
        import kubernetes_validate
    except ImportError:
        reason = "kubernetes-validate is not installed (.venv/bin/pip install kubernetes-validate==1.28.3)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return kubernetes_validate


@pytest.mark.parametrize(
    "name", yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))["resources"]
)
def test_every_manifest_matches_the_kubernetes_schema(name: str) -> None:
    validator = kubernetes_validate()
    for document in yaml_documents(KUBERNETES / name):
        validator.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_schema_check_catches_a_mistake() -> None:
    validator = kubernetes_validate()
    deployment = of_kind("Deployment")["kneadle-rasa"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbes"] = container.pop("readinessProbe")
    with pytest.raises(validator.ValidationError):
        validator.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_every_deployment_has_probes_resources_and_runs_unprivileged() -> None:
    assert set(of_kind("Deployment")) == {"kneadle-rasa", "kneadle-actions"}
    for name, deployment in of_kind("Deployment").items():
        assert deployment["spec"]["replicas"] >= 2, name
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["automountServiceAccountToken"] is False, name
    for name, container in containers():
        assert container["readinessProbe"] and container["livenessProbe"], name
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert "memory" in container["resources"]["limits"], name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name


def test_the_rasa_servers_are_ready_only_when_their_stores_answer() -> None:
    (rasa,) = of_kind("Deployment")["kneadle-rasa"]["spec"]["template"]["spec"]["containers"]
    assert rasa["readinessProbe"]["httpGet"]["path"] == "/webhooks/health/"
    assert rasa["livenessProbe"]["httpGet"]["path"] == "/"
    assert rasa["startupProbe"]["failureThreshold"] * rasa["startupProbe"]["periodSeconds"] >= 180
    assert "--enable-api" not in rasa["args"] and "--cors" not in rasa["args"]


def test_secrets_come_only_from_the_secret() -> None:
    generated = {entry["name"]: entry for entry in kustomization()["secretGenerator"]}
    assert set(generated) == {"kneadle-secrets"}
    for env_file in generated["kneadle-secrets"]["envs"]:
        ignored = subprocess.run(["git", "check-ignore", "-q", f"deploy/kubernetes/{env_file}"], cwd=PROJECT_ROOT)
        assert ignored.returncode == 0, f"{env_file} must be gitignored"
        example = (KUBERNETES / f"{env_file}.example").read_text(encoding="utf-8")
        assert all(line.endswith("=") for line in example.splitlines() if line and not line.startswith("#"))
    assert of_kind("Secret") == {}
    for name, container in containers():
        for variable in container.get("env", []):
            if SECRET_NAME.search(variable["name"]):
                assert variable["valueFrom"]["secretKeyRef"]["name"] == "kneadle-secrets", (name, variable)
        for source in container.get("envFrom", []):
            assert "configMapRef" in source or source["secretRef"]["name"] == "kneadle-secrets"
    for name, config_map in of_kind("ConfigMap").items():
        assert not [key for key in config_map["data"] if SECRET_NAME.search(key)], name


def test_the_rasa_service_pins_clients_and_the_actions_stay_inside() -> None:
    services = of_kind("Service")
    assert services["kneadle-rasa"]["spec"]["sessionAffinity"] == "ClientIP"
    assert services["kneadle-actions"]["spec"]["type"] == "ClusterIP"
    outside = ("NodePort", "LoadBalancer")
    exposed = [name for name, service in services.items() if service["spec"].get("type") in outside]
    assert not exposed
    (ingress,) = of_kind("Ingress").values()
    backends = {
        (path["path"], path["backend"]["service"]["name"])
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {("/webhooks/", "kneadle-rasa"), ("/socket.io/", "kneadle-rasa")}
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"


def test_redis_and_postgres_run_outside_the_cluster() -> None:
    services = of_kind("Service")
    for name in ("kneadle-redis", "kneadle-postgres"):
        assert services[name]["spec"]["type"] == "ExternalName", name
    assert not of_kind("StatefulSet")
    images = " ".join(container["image"] for _, container in containers())
    assert "redis" not in images and "postgres" not in images


def test_the_configmap_holds_the_production_files() -> None:
    files = of_kind("ConfigMap")["kneadle-files"]["data"]
    hint = "run .venv/bin/python deploy/kubernetes/sync_configmap.py"
    assert files["endpoints.yml"] == ENDPOINTS.read_text(encoding="utf-8"), hint
    assert files["credentials.yml"] == CREDENTIALS.read_text(encoding="utf-8"), hint
    (rasa,) = of_kind("Deployment")["kneadle-rasa"]["spec"]["template"]["spec"]["containers"]
    mount = rasa["volumeMounts"][0]["mountPath"].removeprefix("/app/")
    assert rasa["args"][rasa["args"].index("--endpoints") + 1] == f"{mount}/endpoints.yml"
    assert rasa["args"][rasa["args"].index("--credentials") + 1] == f"{mount}/credentials.yml"


def test_kubernetes_sets_every_variable_the_production_files_need() -> None:
    settings = of_kind("ConfigMap")["kneadle-settings"]["data"]
    (rasa,) = of_kind("Deployment")["kneadle-rasa"]["spec"]["template"]["spec"]["containers"]
    required = {v["name"] for v in rasa["env"] if "optional" not in v.get("valueFrom", {}).get("secretKeyRef", {})}
    for name in variables(ENDPOINTS, CREDENTIALS):
        assert settings.get(name) or name in required, name
    assert settings["KNEADLE_ACTIONS_URL"].startswith("http://kneadle-actions:5055/")
    (actions,) = of_kind("Deployment")["kneadle-actions"]["spec"]["template"]["spec"]["containers"]
    assert actions["command"][:3] == ["python", "-m", "actions.server"]
    assert "KNEADLE_ACTION_TOKEN" in {variable["name"] for variable in actions["env"]}
