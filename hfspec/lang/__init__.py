"""The expression language: text → AST → checked AST → interpreter or SQL."""
