"""The coach's stemming is safe in several threads at once.

The room reviews turns in a thread pool (PostgreSQL) and the coaching view runs one
thread per request under ASGI; a snowball stemmer shared between threads mixed their
words up (IndexError, wrong stems), found by the load bench.
"""

import threading

from practice.coaching import text

WORDS = [
    stem + suffix
    for stem in ("connect", "feel", "hurt", "listen", "happi", "relat", "generous", "agree")
    for suffix in ("", "ed", "ing", "ness", "ly", "ation", "ful", "s")
] * 40


def test_stems_are_the_same_from_many_threads_at_once():
    stem = text.stem.__wrapped__  # past the cache, so every call stems
    expected = [stem(w) for w in WORDS]
    problems = []

    def work():
        try:
            for _ in range(5):
                if [stem(w) for w in WORDS] != expected:
                    problems.append("a different stem")
        except Exception as exc:  # the shared stemmer raised IndexError mid-word
            problems.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
