"""Demo data for a first `make run`: the catalogue, and a clinic with its admin and a practitioner,
made only when the data folder holds none yet. The demo password is printed, never logged."""
from __future__ import annotations

from gateway.identity import Identity, ensure_indexes as ensure_identity_indexes
from interlude import wiring
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.settings import Settings

log = get_logger(__name__)

DEMO_ADMIN = {"email": "admin@demo.interlude.local", "name": "Demo Admin", "password": "interlude-demo"}
DEMO_PRACTITIONER = {"email": "practitioner@demo.interlude.local", "name": "Sam Okafor",
                     "password": "interlude-demo"}


def ensure_catalogue(store) -> None:
    """Publish the catalogue build into an empty documents store (a first `make run`)."""
    from interlude.progress import ProgressBar
    from services.catalog.cli import load_and_build
    from services.catalog.domain.catalogue import Catalogue, ensure_indexes
    ensure_indexes(store)
    catalogue = Catalogue(store)
    if catalogue.count() == 0:
        _content, tools = load_and_build(progress=True)
        catalogue.publish(tools, ProgressBar("Publishing the catalogue"))


def ensure_demo_data(settings: Settings) -> dict | None:
    """Create the demo clinic if there is no clinic at all, and publish the catalogue if the
    store has none; return the account to print."""
    store = wiring.documents(settings)
    try:
        ensure_catalogue(store)
        ensure_identity_indexes(store)
        identity = Identity(store)
        if identity.clinics.count() > 0:
            return dict(DEMO_PRACTITIONER) if identity.has_user(DEMO_PRACTITIONER["email"]) else None
        clinic, admin = identity.create_clinic("Demo Clinic", DEMO_ADMIN["email"], DEMO_ADMIN["name"],
                                               DEMO_ADMIN["password"])
        identity.create_user(Actor(admin["id"], clinic["id"], "clinic_admin"),
                             DEMO_PRACTITIONER["email"], DEMO_PRACTITIONER["name"], "practitioner",
                             DEMO_PRACTITIONER["password"])
        log.info("demo_data_created", clinic_id=clinic["id"])
        return dict(DEMO_PRACTITIONER)
    finally:
        store.close()
