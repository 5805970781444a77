"""Readers for the file formats decom understands, shared by discovery and rewrites."""
