"""Small typed wrappers over the AWS services other than DynamoDB (see crisisdesk.store)."""
