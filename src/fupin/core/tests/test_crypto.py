"""Encryption at rest and the blind index (core.crypto)."""

import base64
import os
import threading

import pytest
from cryptography.exceptions import InvalidTag

from fupin.core import crypto


def _nonce_of(token: str) -> bytes:
    return base64.b64decode(token.split(":", 2)[2])[:12]


def test_it_round_trips_and_never_repeats_a_nonce():
    tokens = [crypto.encrypt("632524199001011234") for _ in range(3 * crypto._NONCES_AT_ONCE + 7)]
    assert {crypto.decrypt(t) for t in tokens} == {"632524199001011234"}
    assert len({_nonce_of(t) for t in tokens}) == len(tokens)  # across refills of the pool
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_threads_and_forked_children_take_nonces_of_their_own():
    crypto.encrypt("warm")  # the parent's pool now holds nonces a child could inherit
    seen: list[bytes] = []
    threads = [threading.Thread(target=lambda: seen.append(_nonce_of(crypto.encrypt("x")))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one nonce, handed back, then gone without any clean-up
        os.write(write, crypto._nonce())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 12)
    os.close(read)
    os.close(write)
    parent = [crypto._nonce() for _ in range(crypto._NONCES_AT_ONCE)]
    assert child not in parent
    assert len(set(seen) | set(parent)) == len(seen) + len(parent)


def test_it_refuses_a_tampered_token():
    token = crypto.encrypt("13800138000")
    raw = bytearray(base64.b64decode(token.split(":", 2)[2]))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(":".join(token.split(":", 2)[:2] + [base64.b64encode(bytes(raw)).decode()]))


def test_old_keys_still_decrypt_after_a_rotation(monkeypatch):
    old, new = base64.b64encode(b"o" * 32).decode(), base64.b64encode(b"n" * 32).decode()
    monkeypatch.setenv("FUPIN_FIELD_KEYS", old)
    crypto.reset_key_cache()
    try:
        token = crypto.encrypt("6228480012345678")
        monkeypatch.setenv("FUPIN_FIELD_KEYS", f"{new},{old}")
        crypto.reset_key_cache()
        assert crypto.decrypt(token) == "6228480012345678"
        assert crypto.encrypt("x").split(":")[1] != token.split(":")[1]  # new writes use the new key
    finally:
        monkeypatch.delenv("FUPIN_FIELD_KEYS")
        crypto.reset_key_cache()


def test_the_blind_index_is_exact_and_kind_salted():
    assert crypto.blind_index("id", "6325") == crypto.blind_index("id", "6325")
    assert crypto.blind_index("id", "6325") != crypto.blind_index("phone", "6325")
    assert len(crypto.blind_index("id", "6325")) == 32 and crypto.blind_index("id", "") == ""
