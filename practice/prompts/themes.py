"""The prompt library's vocabulary: themes and depth levels (plain data, safe in migrations)."""

THEMES: tuple[tuple[str, str], ...] = (
    ("daily", "Daily life"),
    ("history", "History and childhood"),
    ("attachment", "Attachment and needs"),
    ("appreciation", "Appreciation"),
    ("dreams", "Dreams"),
    ("repair", "Conflict and repair"),
    ("closeness", "Intimacy and closeness"),
    ("boundaries", "Boundaries"),
)
THEME_KEYS: tuple[str, ...] = tuple(key for key, _ in THEMES)
THEME_LABELS: dict[str, str] = dict(THEMES)

LIGHT, PERSONAL, VULNERABLE = 1, 2, 3
DEPTHS: tuple[tuple[int, str], ...] = (
    (LIGHT, "Light"),
    (PERSONAL, "Personal"),
    (VULNERABLE, "Vulnerable"),
)
DEPTH_LABELS: dict[int, str] = dict(DEPTHS)
TOP = VULNERABLE
