"""The CCHC campaign workflow pages: organiser, unit officer, appraiser (issue 4, item 3)."""
