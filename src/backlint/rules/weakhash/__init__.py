"""Weak password hashes (BL831): fast or unsalted digests of passwords, weak hasher settings."""
