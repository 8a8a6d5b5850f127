"""Encryption at rest for personal data, with a keyed blind index for exact look-up.

- `encrypt(text)` / `decrypt(token)`: AES-256-GCM with a random nonce; the token names its key, so keys
  can be rotated (new writes use the first key in FUPIN_FIELD_KEYS, old rows stay readable).
- `blind_index(kind, text)`: HMAC-SHA256 under a separate key, truncated to 128 bits, salted by `kind`
  so the same string gives different indexes as an ID number and as a phone. Equal values give equal
  indexes: uniqueness and `WHERE id_bidx = …` work without decrypting anything.

Why hand-written: the Django field-encryption packages either store no look-up index, use
deterministic encryption (leaks equality of the ciphertext itself), or are unmaintained; this is
40 lines on top of the `cryptography` package's AEAD primitive, which does the actual cryptography.

Keys: FUPIN_FIELD_KEYS (comma-separated, base64 of 32 bytes each; first one encrypts) and
FUPIN_BLIND_INDEX_KEY (base64 of 32 bytes). Both are required in production; elsewhere they are
derived from SECRET_KEY so the demo and tests run without set-up.
"""

import base64
import hashlib
import hmac
import os
import threading
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = "v1"


def _decode_key(name: str, value: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be base64.") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes (base64 of 32 random bytes).")
    return key


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"fupin:{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=1)
def _field_keys() -> tuple[tuple[str, bytes], ...]:
    raw = os.environ.get("FUPIN_FIELD_KEYS", "").strip()
    if not raw:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("FUPIN_FIELD_KEYS is required when FUPIN_PRODUCTION=1.")
        keys = [_derived("field-key")]
    else:
        keys = [_decode_key("FUPIN_FIELD_KEYS", part.strip()) for part in raw.split(",") if part.strip()]
    # A key is named by the first 8 hex digits of its hash, never by its position in the list.
    return tuple((hashlib.sha256(k).hexdigest()[:8], k) for k in keys)


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    raw = os.environ.get("FUPIN_BLIND_INDEX_KEY", "").strip()
    if not raw:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("FUPIN_BLIND_INDEX_KEY is required when FUPIN_PRODUCTION=1.")
        return _derived("blind-index")
    return _decode_key("FUPIN_BLIND_INDEX_KEY", raw)


@lru_cache(maxsize=1)
def _ciphers() -> dict[str, tuple[AESGCM, bytes, str]]:
    """key id -> (the AESGCM object, the associated data, the token prefix), built once per key:
    creating an AESGCM object costs more than sealing a short value with it."""
    return {key_id: (AESGCM(key), key_id.encode(), f"{_VERSION}:{key_id}:") for key_id, key in _field_keys()}


@lru_cache(maxsize=1)
def _writer() -> tuple[AESGCM, bytes, str]:
    return _ciphers()[_field_keys()[0][0]]


def encrypt(text: str | None) -> str:
    if text is None or text == "":
        return ""
    cipher, aad, prefix = _writer()
    nonce = _nonce()
    sealed = cipher.encrypt(nonce, text.encode(), aad)
    return prefix + base64.b64encode(nonce + sealed).decode()


_NONCES_AT_ONCE = 512
_nonces = threading.local()


def _nonce() -> bytes:
    """A fresh random 96-bit nonce, from the kernel's CSPRNG like os.urandom(12), and used once.

    os.urandom is a system call, and one per value was a tenth of a million-row import's CPU: the
    nonces are drawn 512 at a time. The pool is per thread, and a forked child starts with none
    (register_at_fork below): no two threads or processes ever take the same nonce from it."""
    pool = getattr(_nonces, "pool", None)
    if not pool:
        block = os.urandom(12 * _NONCES_AT_ONCE)
        pool = _nonces.pool = [block[i : i + 12] for i in range(0, len(block), 12)]
    return pool.pop()


os.register_at_fork(after_in_child=lambda: _nonces.__dict__.clear())


def decrypt(token: str | None) -> str:
    if not token:
        return ""
    version, key_id, payload = token.split(":", 2)
    if version != _VERSION:
        raise ValueError(f"unknown ciphertext version {version}")
    found = _ciphers().get(key_id)
    if found is None:
        raise ImproperlyConfigured(f"no key {key_id} in FUPIN_FIELD_KEYS to decrypt this value")
    raw = base64.b64decode(payload)
    return found[0].decrypt(raw[:12], raw[12:], found[1]).decode()


def blind_index(kind: str, text: str | None) -> str:
    """32 hex characters; '' for an empty value (so empty values never collide as duplicates)."""
    if not text:
        return ""
    mac = _keyed_hmac().copy()
    mac.update(f"{kind}:{text}".encode())
    return mac.hexdigest()[:32]


@lru_cache(maxsize=1)
def _keyed_hmac():
    """The HMAC with its key already absorbed; `.copy()` per value skips re-keying."""
    return hmac.new(_index_key(), digestmod=hashlib.sha256)


def reset_key_cache() -> None:
    """For tests that change the key environment."""
    _field_keys.cache_clear()
    _index_key.cache_clear()
    _ciphers.cache_clear()
    _writer.cache_clear()
    _keyed_hmac.cache_clear()
