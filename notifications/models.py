"""Reminder policy and the notification log (see the reminders issue)."""
