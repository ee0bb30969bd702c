"""Body identity values are stored in archives and compared across runs: they must never drift."""
from __future__ import annotations

import random

from newscrawl.fingerprints import body_fingerprint, fingerprint_and_simhash, hamming, simhash

TEXT = ("The council approved the budget on Tuesday after a long debate about road repairs "
        "and school funding.")


def test_simhash_values_stay_those_already_stored():
    # Values written by earlier versions; a faster simhash must still produce exactly these.
    assert simhash(TEXT) == -4381896501791227349
    assert simhash("") == -1970711489451281740
    assert simhash("one") == 3815355558890182089
    assert simhash("市議会は木曜日に承認した") == -5413073724306560848


def test_fingerprint_value_stays_the_one_already_stored():
    assert body_fingerprint(TEXT) == "0170f44615f04aa88e15e512133d962b80e17a7b"


def test_a_few_changed_words_stay_near_and_other_text_does_not():
    rng = random.Random(3)
    vocabulary = [f"word{i}" for i in range(2000)]
    words = [rng.choice(vocabulary) for _ in range(400)]
    edited = list(words)
    edited[100] = edited[300] = "changed"
    other = [rng.choice(vocabulary) for _ in range(400)]
    original = simhash(" ".join(words))
    assert hamming(original, simhash(" ".join(edited))) <= 3
    assert hamming(original, simhash(" ".join(other))) > 10
    assert fingerprint_and_simhash(" ".join(words)) == (body_fingerprint(" ".join(words)), original)
