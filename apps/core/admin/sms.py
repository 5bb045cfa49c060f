"""Admin: sms."""
