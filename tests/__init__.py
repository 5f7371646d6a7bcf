"""crisisdesk tests."""
