"""Conversation prompts graded by depth, the vulnerability ladder, and the daily question.

Privacy rule: a partner's daily answer leaves the server only once both have answered
(see selectors.day_view, the one place answers are read for a page).
"""
