"""The shard assignment is Lamping and Veach's jump consistent hash ("A Fast, Minimal Memory, Consistent Hash
Algorithm", 2014), checked against published reference values and a reference written here from the paper."""

from __future__ import annotations

import ctypes
import hashlib

import pytest

from cdk_sagemaker_monitoring.plan.shards import jump_hash, shard_number

#: (key, buckets, bucket): the test vectors that implementations of the paper's algorithm publish
#: (go-jump's jump_test.go, and the ports that copied its table).
PUBLISHED = [(1, 1, 0), (42, 57, 43), (0xDEAD10CC, 1, 0), (0xDEAD10CC, 666, 361), (256, 1024, 520)]


def reference(key: int, num_buckets: int) -> int:
    """The paper's C++ listing, statement by statement, in C's types: ``uint64_t`` wraps, ``int64_t`` b and j, the
    jump computed in ``double`` and truncated toward zero by the conversion back to ``int64_t``."""
    k = ctypes.c_uint64(key)
    b, j = ctypes.c_int64(-1), ctypes.c_int64(0)
    while j.value < num_buckets:
        b.value = j.value
        k.value = k.value * 2862933555777941757 + 1  # c_uint64 keeps the low 64 bits, as uint64_t arithmetic
        j.value = int(ctypes.c_double(b.value + 1).value
                      * (ctypes.c_double(1 << 31).value / ctypes.c_double((k.value >> 33) + 1).value))
    return b.value


@pytest.mark.parametrize("key, buckets, expected", PUBLISHED)
def test_published_values(key, buckets, expected):
    assert reference(key, buckets) == expected  # the reference is right
    assert jump_hash(key, buckets) == expected


def test_agrees_with_the_reference_over_many_keys_and_counts():
    keys = [0, 1, 2**63, 2**64 - 1, *(int.from_bytes(hashlib.sha256(str(i).encode()).digest()[:8], "big")
                                      for i in range(400))]
    for count in (1, 2, 3, 7, 10, 57, 168, 400, 1000, 2**31 - 1):
        assert [jump_hash(k, count) for k in keys] == [reference(k, count) for k in keys], count


def test_a_resource_shard_is_the_hash_of_its_sha256_key():
    digest = hashlib.sha256("endpoint\x1fchurn-endpoint".encode()).digest()
    assert shard_number("endpoint", "churn-endpoint", 37) == reference(int.from_bytes(digest[:8], "big"), 37)


def test_one_more_bucket_moves_keys_only_into_it():
    """The paper's consistency property: from n to n+1 buckets a key stays, or moves to bucket n."""
    keys = [int.from_bytes(hashlib.sha256(f"k{i}".encode()).digest()[:8], "big") for i in range(2000)]
    for count in (1, 5, 40, 167):
        before = [jump_hash(k, count) for k in keys]
        after = [jump_hash(k, count + 1) for k in keys]
        moved = [a for b, a in zip(before, after, strict=True) if a != b]
        assert set(moved) <= {count}
        assert abs(len(moved) - len(keys) / (count + 1)) < 4 * (len(keys) / (count + 1)) ** 0.5 + 5  # about 1/(n+1)
