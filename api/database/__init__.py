"""Database domain."""
