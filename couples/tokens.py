"""Secret tokens: generated from the CSPRNG, compared and stored as hashes."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 bits ASVS asks for


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
