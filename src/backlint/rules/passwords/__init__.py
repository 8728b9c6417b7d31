"""The plaintext-password rules (checklist `plaintext-password`): BL101 storage, BL102
comparisons, BL103 column definitions."""
