"""Rasa policies of our own."""
