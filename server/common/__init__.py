"""Pieces shared by the resource folders."""
