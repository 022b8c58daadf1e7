"""The CCHC campaign workflow pages: organiser, unit officer, appraiser (docs/workflow.md)."""
