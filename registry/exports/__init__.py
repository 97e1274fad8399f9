"""A version as other tools read it: a CSV for spreadsheets, JSON-LD mapped to W3C DPV."""
