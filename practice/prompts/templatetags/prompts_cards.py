from django import template

from couples.selectors import active_couple

from .. import selectors

register = template.Library()


@register.inclusion_tag("prompts/partials/daily_card.html", takes_context=True)
def daily_question_card(context):
    """Today's question on the home page: read only (the question is drawn on its page)."""
    user = context["user"]
    couple = active_couple(user)
    question = selectors.today_question(couple) if couple else None
    return {
        "view": selectors.day_view(question, user) if question else None,
        "partner": context.get("partner"),
    }
