"""Demo content for a newcomer: `flask --app forum seed-demo`."""
