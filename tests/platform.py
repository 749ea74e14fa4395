"""Start services in this (monkey-patched) process for a test, and stop them afterwards."""
from contextlib import contextmanager

from interlude_app.runner import SERVICES, build_runner, stop_runner


@contextmanager
def running(settings, names=tuple(SERVICES)):
    runner = build_runner(settings, names)
    runner.start()
    try:
        yield f"http://{settings.http_host}:{settings.http_port}"
    finally:
        stop_runner(runner)


PASSWORD = "integration password"


def seeded_settings(data_dir, clinics, *, port: int, **overrides):
    """Settings for an embedded platform whose store holds the published catalogue and one
    clinic per ``(clinic name, admin email)``, each admin's password being PASSWORD; ``overrides``
    are more settings (e.g. broker_url, secret_key)."""
    from gateway.identity import Identity
    from interlude import settings as settings_module
    from interlude import wiring
    from services.catalog.cli import load_and_build
    from services.catalog.domain.catalogue import Catalogue
    from tests.conftest import make_env
    settings = settings_module.load(make_env(data_dir, http_port=port, **overrides))
    store = wiring.documents(settings)
    Catalogue(store).publish(load_and_build()[1])
    for name, email in clinics:
        Identity(store).create_clinic(name, email, name.split()[0], PASSWORD)
    store.close()
    return settings


def logged_in(base: str, email: str):
    """A requests session carrying the bearer token of ``email`` (password PASSWORD)."""
    import requests
    token = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def portal_csrf(base: str, token: str) -> dict:
    """The header a client's portal form sends: the CSRF token of its link's page (portal POSTs
    without it are refused, gateway/portal_security.py)."""
    import re

    import requests
    page = requests.get(f"{base}/portal/{token}")
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)}
