"""Settings for the Daphne process that the browser tests start (see conftest.py).

The test settings, pointed at the test database pytest-django created, with a
cache and channel-layer prefix of this run's own: rate-limit counters kept in
Redis by an earlier run must not throttle this one.
"""

import os

from config.test_settings import *  # noqa: F403
from config.test_settings import CACHES, CHANNEL_LAYERS, DATABASES

_RUN = os.environ["HEARTH_BROWSER_RUN"]
DATABASES["default"]["NAME"] = os.environ["HEARTH_BROWSER_DB_NAME"]
CACHES["default"]["KEY_PREFIX"] = f"hearth-browser-{_RUN}"
CHANNEL_LAYER_PREFIX = f"hearth-browser-{_RUN}"
if "prefix" in CHANNEL_LAYERS["default"].get("CONFIG", {}):
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = CHANNEL_LAYER_PREFIX
