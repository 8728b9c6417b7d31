"""BL931 missing-index."""
