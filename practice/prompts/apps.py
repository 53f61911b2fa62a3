from django.apps import AppConfig


class PromptsConfig(AppConfig):
    name = "practice.prompts"
    label = "prompts"
    verbose_name = "Prompts: the question library, the ladder, the daily question"
