"""Custom actions for the Careline assistant, run by the rasa-sdk action server."""
