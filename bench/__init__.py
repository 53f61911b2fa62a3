"""Load benchmark for the live room, measured against a bare Channels relay.

Not part of the test run: `python -m bench --help`. See bench/RESULTS.md.
"""
