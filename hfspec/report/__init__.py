"""Rendering: results and specs → terminal text, CSV, JSON, XLSX, HTML and Markdown."""
