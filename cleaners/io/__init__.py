"""Reading inputs into documents and writing parts: formats, records, atomic part files."""
