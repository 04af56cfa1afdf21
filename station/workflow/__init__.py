"""The counter workflow without Qt: the dossier in progress, its edits, its crash-safe session store."""
