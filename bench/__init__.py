"""`make bench`: cost and performance, measured in one run and printed as one table."""
