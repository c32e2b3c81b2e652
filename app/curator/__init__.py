"""Curator mode: the site editor, its history, and the import and backup dialogs."""
