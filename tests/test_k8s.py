"""deploy/k8s/ checked against the code, as no cluster runs here: every command is one the CLI
accepts, every port the one the settings give, every variable one interlude/settings.py reads
(and the settings accept the values), every probe a route that exists, the autoscaler on the
render queue's real name; and each object valid against the Kubernetes API schemas."""
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from interlude import settings as settings_module
from interlude.jobs import JobQueue
from interlude.metrics_server import HEALTH_PATH, METRICS_PATH, READY_PATH
from interlude_app.cli import SERVE_CHOICES, build_parser

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"
DOCS = [(path.name, doc) for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text())
        if doc]
BY_KIND: dict[str, dict] = {}
for _, _doc in DOCS:
    BY_KIND.setdefault(_doc["kind"], {})[_doc["metadata"]["name"] if "metadata" in _doc else ""] = _doc
DEPLOYMENTS = BY_KIND["Deployment"]
CONFIG = BY_KIND["ConfigMap"]["interlude-config"]["data"]
SECRET = BY_KIND["Secret"]["interlude-secrets"]["stringData"]


def container(name):
    (only,) = DEPLOYMENTS[name]["spec"]["template"]["spec"]["containers"]
    return only


def environment(name) -> dict:
    """What the container's process sees: the ConfigMap, the (example) Secret, its own env."""
    env = {}
    for source in container(name).get("envFrom", []):
        if "configMapRef" in source:
            env.update(BY_KIND["ConfigMap"][source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            env.update(BY_KIND["Secret"][source["secretRef"]["name"]]["stringData"])
    env.update({item["name"]: item["value"] for item in container(name).get("env", [])})
    return env


def variables_settings_reads() -> set[str]:
    """Every INTERLUDE_ variable a settings load asks for, seen by wrapping its one reader."""
    asked = set()
    original = settings_module._get

    def recording(env, name, default=None):
        asked.add(settings_module.PREFIX + name)
        return original(env, name, default)
    settings_module._get = recording
    try:
        settings_module.load(environment("gateway"))
    finally:
        settings_module._get = original
    return asked


def test_a_deployment_per_service_each_running_a_command_the_cli_accepts():
    assert set(DEPLOYMENTS) == set(SERVE_CHOICES)
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["interlude"]' in dockerfile   # so a container's args are the CLI's arguments
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["interlude"] == "interlude_app.cli:main"
    for name in DEPLOYMENTS:
        spec = container(name)
        assert "command" not in spec and spec["image"] == "interlude"
        args = build_parser().parse_args(spec["args"])
        assert args.func.__name__ == "cmd_serve" and args.service == name


def test_every_variable_is_one_the_settings_read_and_the_settings_accept_them():
    read = variables_settings_reads()
    for name in DEPLOYMENTS:
        env = environment(name)
        assert set(env) <= read, f"{name}: {sorted(set(env) - read)} are read by nothing"
        settings = settings_module.load(env)       # every value valid, as the process will check
        assert not settings.embedded and settings.documents_kind == "mongodb"
        assert settings.blobs_kind == "s3" and settings.search_kind == "elasticsearch"
        assert settings.redis_url.startswith("redis://")   # rate limits shared by the gateway replicas


def test_credentials_come_from_the_secret_never_the_configmap():
    for secret in ("INTERLUDE_BROKER_URL", "INTERLUDE_DOCUMENTS_URL", "INTERLUDE_SECRET_KEY",
                   "INTERLUDE_S3_ACCESS_KEY", "INTERLUDE_S3_SECRET_KEY", "INTERLUDE_REDIS_URL"):
        assert secret in SECRET and secret not in CONFIG
    kustomization = BY_KIND["Kustomization"][""]
    assert "secret.example.yaml" not in kustomization["resources"]   # placeholders are never applied
    listed = {path for path in kustomization["resources"]}
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}


def test_ports_are_the_ones_the_settings_give():
    for name in DEPLOYMENTS:
        settings = settings_module.load(environment(name))
        ports = {port["name"]: port["containerPort"] for port in container(name)["ports"]}
        assert ports["metrics"] == settings.metrics_port
        annotations = DEPLOYMENTS[name]["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == str(settings.metrics_port)
        assert annotations["prometheus.io/path"] == METRICS_PATH
        if name == "gateway":
            assert ports["http"] == settings.http_port
    service = BY_KIND["Service"]["gateway"]
    assert service["spec"]["selector"] == DEPLOYMENTS["gateway"]["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def gateway_routes() -> set[str]:
    from gateway.service import GatewayService
    return {entrypoint.url for attribute in vars_of(GatewayService)
            for entrypoint in getattr(attribute, "nameko_entrypoints", ()) if hasattr(entrypoint, "url")}


def vars_of(cls):
    return [getattr(cls, name) for name in dir(cls) if not name.startswith("__")]


def test_probes_point_at_routes_that_exist_on_the_port_they_name():
    routes = gateway_routes()
    assert {HEALTH_PATH, READY_PATH} <= routes
    for name in DEPLOYMENTS:
        spec = container(name)
        ports = {port["name"] for port in spec["ports"]}
        probes = {kind: spec[kind]["httpGet"] for kind in ("livenessProbe", "readinessProbe")}
        assert probes["livenessProbe"]["path"] == HEALTH_PATH and probes["readinessProbe"]["path"] == READY_PATH
        for probe in probes.values():
            assert probe["port"] in ports
            # The gateway's own routes on its HTTP port; the metrics server's paths on its port.
            if probe["port"] == "http":
                assert probe["path"] in routes
            else:
                assert probe["path"] in (HEALTH_PATH, READY_PATH, METRICS_PATH)


def test_the_grace_fits_in_the_pods_termination_period():
    for name in DEPLOYMENTS:
        grace = settings_module.load(environment(name)).shutdown_grace_seconds
        pre_stop = container(name).get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
        pre_stop_s = float(pre_stop[1]) if pre_stop[:1] == ["sleep"] else 0
        assert DEPLOYMENTS[name]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= \
            pre_stop_s + grace + 5, name


def rss_after_the_runs() -> dict[str, int]:
    """Resident memory per process after the HTTP read runs (benchmarks/RESULTS.md, first table)."""
    text = (ROOT / "benchmarks" / "RESULTS.md").read_text()
    found = {}
    for process, mib in re.findall(r"^\| rabbitmq \| +([\w-]+) \| +after the runs \| +(\d+) \|$", text, re.MULTILINE):
        found.setdefault(process, int(mib))   # the newest table comes first
    return found


def mebibytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()
    return int(number) * (1024 if unit == "Gi" else 1)


def test_resources_are_sized_from_the_benchmarks():
    measured = rss_after_the_runs()
    assert set(measured) == set(DEPLOYMENTS)
    for name in DEPLOYMENTS:
        resources = container(name)["resources"]
        assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}
        request = mebibytes(resources["requests"]["memory"])
        # Requested: at least what the process measured after load; the render worker also
        # holds its render child (144 MiB peak for the 62-page book).
        needed = measured[name] + (144 if name == "render-worker" else 0)
        assert request >= needed, f"{name}: {request} MiB requested, {needed} MiB measured"
        assert mebibytes(resources["limits"]["memory"]) >= 2 * measured[name]


def test_render_workers_scale_on_the_render_queue_with_keda():
    (scaled,) = BY_KIND["ScaledObject"].values()
    assert scaled["spec"]["scaleTargetRef"]["name"] == "render-worker"
    (trigger,) = scaled["spec"]["triggers"]
    from services.workbook.application.render_jobs import QUEUE_NAME
    assert trigger["type"] == "rabbitmq" and trigger["metadata"]["mode"] == "QueueLength"
    assert trigger["metadata"]["queueName"] == JobQueue("memory://", QUEUE_NAME).work.name
    assert trigger["metadata"]["hostFromEnv"] in environment("render-worker")
    assert environment("render-worker")[trigger["metadata"]["hostFromEnv"]].startswith("amqp://")
    assert 1 <= scaled["spec"]["minReplicaCount"] < scaled["spec"]["maxReplicaCount"]


@pytest.mark.parametrize("name, doc", [(f"{file}:{doc['kind']}", doc) for file, doc in DOCS
                                       if doc["kind"] not in ("ScaledObject", "Kustomization")])
def test_objects_are_valid_against_the_kubernetes_schemas(name, doc):
    """Strict: an unknown or misspelt field fails, as with kubeconform -strict. (KEDA's
    ScaledObject is a custom resource the bundled schemas do not have: checked above.)"""
    import kubernetes_validate
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_kubeconform_if_installed():
    kubeconform = shutil.which("kubeconform")
    if kubeconform is None:
        pytest.skip("kubeconform is not installable here (no Debian, PyPI or npm package; a Go build would "
                    "still download its schemas at run time): the same API schemas are checked strictly "
                    "with kubernetes-validate above")
    result = subprocess.run([kubeconform, "-strict", "-summary", "-skip", "ScaledObject,Kustomization",
                             *[str(p) for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml"]],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
