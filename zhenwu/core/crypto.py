"""Field encryption (AES-GCM, versioned keys) and the HMAC blind index (SECURITY.md 11).

Keys live outside the database, in the environment (``ZHENWU_DATA_KEYS``,
``ZHENWU_INDEX_KEY``). A ciphertext is ``v<version>:<base64(nonce|ciphertext|tag)>`` so that
keys can be rotated: the newest key encrypts, every listed key decrypts.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models


@functools.cache
def _keys() -> dict[int, AESGCM]:
    keys = {}
    for item in settings.DATA_KEYS.split(","):
        version, _, encoded = item.strip().partition(":")
        raw = base64.b64decode(encoded)
        if len(raw) not in (16, 24, 32):
            raise ValueError("ZHENWU_DATA_KEYS: each key must be 16, 24 or 32 bytes (base64)")
        keys[int(version)] = AESGCM(raw)
    return keys


def encrypt(plaintext: str) -> str:
    version = max(_keys())
    nonce = os.urandom(12)
    sealed = _keys()[version].encrypt(nonce, plaintext.encode(), None)
    return f"v{version}:" + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    prefix, _, encoded = token.partition(":")
    raw = base64.b64decode(encoded)
    return _keys()[int(prefix[1:])].decrypt(raw[:12], raw[12:], None).decode()


@functools.cache
def _index_key() -> bytes:
    return base64.b64decode(settings.INDEX_KEY)


def blind_index(value: str) -> str:
    """Deterministic keyed hash for exact lookup and uniqueness without the plaintext."""
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext; reads back plaintext. Cannot be filtered on (by design)."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
