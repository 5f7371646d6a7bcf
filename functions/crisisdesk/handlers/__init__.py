"""Lambda entry points: each parses its event, calls domain code and returns."""
