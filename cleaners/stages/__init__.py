"""The stages a config can name: single-module stages here, one folder per family."""
