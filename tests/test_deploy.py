"""No Docker engine runs here, so check docker-compose.yml and the Dockerfile against the code:
every engine is named, and every command our image runs is one the CLI accepts."""
from pathlib import Path

import yaml

from interlude_app.cli import SERVE_CHOICES, build_parser

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def ours(service):
    return service.get("image", "").startswith("interlude")


def test_compose_names_every_engine():
    images = {name: s.get("image", "") for name, s in COMPOSE["services"].items()}
    assert images["rabbitmq"].startswith("rabbitmq:") and "management" in images["rabbitmq"]
    assert images["mongo"].startswith("mongo:")
    assert "elasticsearch" in images["elasticsearch"]
    assert COMPOSE["services"]["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    assert images["minio"].startswith("minio/minio")
    assert "mc mb" in " ".join(COMPOSE["services"]["minio-init"]["command"])


def test_every_service_runs_in_its_own_container_with_a_real_command():
    commands = {name: s["command"] for name, s in COMPOSE["services"].items() if ours(s)}
    assert {c[1] for c in commands.values()} == set(SERVE_CHOICES)
    parser = build_parser()
    for command in commands.values():
        args = parser.parse_args(command)
        assert args.func.__name__ == "cmd_serve" and args.service in SERVE_CHOICES


def test_render_workers_scale_apart():
    worker = COMPOSE["services"]["render-worker"]
    assert worker["command"] == ["serve", "render-worker"] and worker["deploy"]["replicas"] >= 2


def test_services_use_the_real_engines_and_secrets_from_the_environment():
    env = next(s for s in COMPOSE["services"].values() if ours(s))["environment"]
    assert env["INTERLUDE_BROKER_URL"].startswith("amqp://")
    assert env["INTERLUDE_DOCUMENTS_URL"].startswith("mongodb://")
    assert env["INTERLUDE_BLOBS_URL"].startswith("s3://")
    assert env["INTERLUDE_SEARCH_URL"] == "http://elasticsearch:9200"
    for secret in ("INTERLUDE_SECRET_KEY", "INTERLUDE_S3_SECRET_KEY"):
        assert env[secret].startswith("${"), f"{secret} must come from the environment"


def test_dockerfile_installs_the_project_and_runs_the_cli():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "pip install" in dockerfile and 'ENTRYPOINT ["interlude"]' in dockerfile
    # every package pyproject.toml installs
    for package in ("interlude", "interlude_app", "services", "gateway"):
        assert f"COPY {package} " in dockerfile
