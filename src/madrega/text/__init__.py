"""Text: Hebrew letters and words, numerals, gematria, and the HTML sanitizer — no library, no refs."""
