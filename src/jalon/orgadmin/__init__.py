"""Organization administration: org-level settings (vocabularies) and the admin services."""
