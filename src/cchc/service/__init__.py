"""The one-stop shop: procedures, dossier ledger, imports, and the Decision 766 service index."""
