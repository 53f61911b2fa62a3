"""The prompt library's data file: reading, checking and loading it.

data/prompts.json is the seed; once loaded, the admin is where prompts are edited.
Loading only adds ids the database doesn't have yet, so it never undoes an edit.
"""

import json
import re
from pathlib import Path

from .themes import DEPTH_LABELS, THEME_KEYS

DATA_FILE = Path(__file__).resolve().parent / "data" / "prompts.json"
KEY_PATTERN = re.compile(r"^(?P<theme>[a-z]+)-(?P<depth>[1-3])-(?P<n>\d{2,})$")
MAX_TEXT = 300


class LibraryError(ValueError):
    pass


def read(path: Path = DATA_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    prompts = doc["prompts"]
    check(prompts)
    return prompts


def check(prompts: list[dict]) -> None:
    """Every entry well formed, ids stable-looking, unique, and matching theme and depth."""
    seen_ids, seen_texts = set(), set()
    for entry in prompts:
        key, theme, depth, text = entry["id"], entry["theme"], entry["depth"], entry["text"]
        match = KEY_PATTERN.match(key)
        if match is None:
            raise LibraryError(f"{key!r}: ids look like “daily-1-07”")
        if theme not in THEME_KEYS or depth not in DEPTH_LABELS:
            raise LibraryError(f"{key!r}: unknown theme or depth")
        if match["theme"] != theme or int(match["depth"]) != depth:
            raise LibraryError(f"{key!r}: the id doesn't match theme {theme!r}, depth {depth}")
        if not text.strip() or len(text) > MAX_TEXT:
            raise LibraryError(f"{key!r}: text must be 1 to {MAX_TEXT} characters")
        if key in seen_ids or text in seen_texts:
            raise LibraryError(f"{key!r}: repeated id or text")
        seen_ids.add(key)
        seen_texts.add(text)


def load(prompt_model, path: Path = DATA_FILE) -> int:
    """Create the prompts whose ids are new; returns how many. Works with a migration's
    historical model, so it uses nothing but the fields."""
    entries = read(path)
    existing = set(prompt_model.objects.values_list("key", flat=True))
    new = [
        prompt_model(key=e["id"], theme=e["theme"], depth=e["depth"], text=e["text"].strip())
        for e in entries
        if e["id"] not in existing
    ]
    prompt_model.objects.bulk_create(new)
    return len(new)
