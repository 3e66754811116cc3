"""Data access: one repository module per aggregate; the only code that calls DynamoDB, S3 or Cognito."""
