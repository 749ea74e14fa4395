"""Bearer secrets (session tokens, portal links) are stored only as their SHA-256, so a leaked
database holds nothing usable; a lookup hashes the presented token the same way."""
from __future__ import annotations

import hashlib


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
