"""Webchat domain."""
