"""Batch digitization: splitting page streams into dossiers/documents, manifests, resumable runs."""
