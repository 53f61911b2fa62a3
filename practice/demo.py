"""Demo data for seed_demo: what a newcomer sees after a few weeks of practice."""


def seed_practice(alex, sam) -> str:
    return ""
