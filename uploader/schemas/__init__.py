"""JSON Schemas of the files the station hands to the uploader (package data: found the same way in a checkout,
an editable install and a wheel). `manifest.schema.json`: a dossier folder's `manifest.json`."""
