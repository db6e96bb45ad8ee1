"""Notifications: routing rules, templates, de-duplication, quiet hours and escalation.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
