import base64

import pytest

from zhenwu.core import crypto


@pytest.fixture
def rotated_keys(settings):
    old = settings.DATA_KEYS
    new_key = base64.b64encode(b"n" * 32).decode()
    yield old, f"{old},2:{new_key}"
    crypto._keys.cache_clear()


def test_round_trip_and_random_nonce():
    first, second = crypto.encrypt("360721196803051004"), crypto.encrypt("360721196803051004")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "360721196803051004"


def test_newest_key_encrypts_and_old_ciphertexts_still_decrypt(settings, rotated_keys):
    old, rotated = rotated_keys
    before = crypto.encrypt("秘密")
    settings.DATA_KEYS = rotated
    crypto._keys.cache_clear()
    after = crypto.encrypt("秘密")
    assert before.startswith("v1:") and after.startswith("v2:")
    assert crypto.decrypt(before) == crypto.decrypt(after) == "秘密"


def test_blind_index_is_deterministic_and_keyed():
    assert crypto.blind_index("a") == crypto.blind_index("a") != crypto.blind_index("b")
    assert len(crypto.blind_index("a")) == 64
