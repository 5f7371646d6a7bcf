"""Incidents and care cases: records, correlation, workflow tasks and commander actions."""
