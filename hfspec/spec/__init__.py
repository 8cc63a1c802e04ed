"""Specs: YAML text with locations → validated, resolved spec models and projects."""
