"""BL951 non-atomic-writes."""
