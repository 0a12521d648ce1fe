"""The review pages of a parsed plan: upload or paste, check the draft, confirm."""
