"""The prompt library: its data file, the migration that loads it, and the admin."""

import json
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from couples.models import User
from practice.prompts import library
from practice.prompts.models import Prompt
from practice.prompts.themes import DEPTHS, THEME_KEYS


def test_the_data_file_has_at_least_150_well_formed_prompts_across_every_level_and_theme():
    prompts = library.read()
    assert len(prompts) >= 150
    cells = Counter((p["theme"], p["depth"]) for p in prompts)
    for theme in THEME_KEYS:
        for depth, _ in DEPTHS:
            assert cells[(theme, depth)] >= 5, (theme, depth)
    for p in prompts:
        assert p["text"].endswith("?") or p["text"].endswith(".") or p["text"].endswith("…'.")
        assert p["id"].startswith(f"{p['theme']}-{p['depth']}-")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"id": "daily-1-1", "theme": "daily", "depth": 1, "text": "Hi?"}, "ids look like"),
        ({"id": "daily-2-01", "theme": "daily", "depth": 1, "text": "Hi?"}, "doesn't match"),
        ({"id": "moon-1-01", "theme": "moon", "depth": 1, "text": "Hi?"}, "unknown theme"),
        ({"id": "daily-1-01", "theme": "daily", "depth": 1, "text": "  "}, "1 to 300"),
    ],
)
def test_the_checker_refuses_malformed_entries(entry, problem):
    with pytest.raises(library.LibraryError, match=problem):
        library.check([entry])


def test_the_checker_refuses_repeated_ids_and_texts():
    entry = {"id": "daily-1-01", "theme": "daily", "depth": 1, "text": "Hi?"}
    with pytest.raises(library.LibraryError, match="repeated"):
        library.check([entry, {**entry, "id": "daily-1-02"}])


@pytest.mark.django_db
def test_the_migration_loaded_every_prompt_with_its_stable_id():
    in_file = {p["id"]: p for p in library.read()}
    in_db = {p.key: p for p in Prompt.objects.all()}
    assert set(in_db) == set(in_file)
    sample = in_db["daily-1-07"]
    assert (sample.theme, sample.depth, sample.text) == (
        "daily",
        1,
        in_file["daily-1-07"]["text"],
    )


@pytest.mark.django_db
def test_loading_again_adds_only_new_ids_and_never_undoes_an_edit(tmp_path):
    Prompt.objects.filter(key="dreams-2-03").update(text="Edited in the admin?")
    doc = json.loads(library.DATA_FILE.read_text())
    doc["prompts"].append(
        {"id": "dreams-2-99", "theme": "dreams", "depth": 2, "text": "A brand new one?"}
    )
    path = tmp_path / "prompts.json"
    path.write_text(json.dumps(doc))
    assert library.load(Prompt, path) == 1
    assert library.load(Prompt, path) == 0
    assert Prompt.objects.get(key="dreams-2-03").text == "Edited in the admin?"
    assert Prompt.objects.get(key="dreams-2-99").depth == 2


@pytest.mark.django_db
def test_prompts_are_editable_in_the_admin():
    admin = User.objects.create_superuser("admin@example.com", "pw-admin-123456")
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:prompts_prompt_changelist")).status_code == 200
    prompt = Prompt.objects.get(key="repair-3-02")
    url = reverse("admin:prompts_prompt_change", args=[prompt.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {"theme": "repair", "depth": 3, "text": "  A gentler wording?  ", "active": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    prompt.refresh_from_db()
    assert prompt.text == "A gentler wording?"
    assert prompt.active is False
    assert prompt.key == "repair-3-02"  # the id stays stable
    add = client.post(
        reverse("admin:prompts_prompt_add"),
        {"key": "repair-3-50", "theme": "repair", "depth": 3, "text": "New?", "active": "on"},
    )
    assert add.status_code == 302
    assert Prompt.objects.filter(key="repair-3-50", active=True).exists()
