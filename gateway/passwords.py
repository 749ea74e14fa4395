"""argon2 off the eventlet hub: a hash or a check takes ~50-100 ms of CPU, during which a green
thread would stop every other request of the process (issue #11, finding 4: eight login loops
pushed /healthz from 3 ms to 1.1 s). argon2-cffi releases the GIL, so eventlet's thread pool
(real OS threads) runs them beside the hub."""
from __future__ import annotations

from argon2 import PasswordHasher
from eventlet import tpool

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return tpool.execute(_hasher.hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    """True, or raises argon2's VerificationError / InvalidHashError."""
    return tpool.execute(_hasher.verify, password_hash, password)
