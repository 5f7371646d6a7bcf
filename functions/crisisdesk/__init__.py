"""crisisdesk: social-media crisis management as a serverless incident workflow."""
