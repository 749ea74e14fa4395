"""Demo data for a first `make run`: a clinic, its admin and a practitioner, made only when the
data folder holds no clinic yet. The demo password is printed, never logged."""
from __future__ import annotations

from gateway.identity import Identity
from interlude import wiring
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.settings import Settings

log = get_logger(__name__)

DEMO_ADMIN = {"email": "admin@demo.interlude.local", "name": "Demo Admin", "password": "interlude-demo"}
DEMO_PRACTITIONER = {"email": "practitioner@demo.interlude.local", "name": "Sam Okafor",
                     "password": "interlude-demo"}


def ensure_demo_data(settings: Settings) -> dict | None:
    """Create the demo clinic if there is no clinic at all; return the account to print."""
    store = wiring.documents(settings)
    try:
        identity = Identity(store)
        if identity.clinics.count() > 0:
            existing = identity.users.find({"email": DEMO_PRACTITIONER["email"]}, limit=1)
            return dict(DEMO_PRACTITIONER) if existing else None
        clinic, admin = identity.create_clinic("Demo Clinic", DEMO_ADMIN["email"], DEMO_ADMIN["name"],
                                               DEMO_ADMIN["password"])
        identity.create_user(Actor(admin["id"], clinic["id"], "clinic_admin"),
                             DEMO_PRACTITIONER["email"], DEMO_PRACTITIONER["name"], "practitioner",
                             DEMO_PRACTITIONER["password"])
        log.info("demo_data_created", clinic_id=clinic["id"])
        return dict(DEMO_PRACTITIONER)
    finally:
        store.close()
