"""Following challenges: news by email (at once or in a daily digest) and unfollowing from an email's link."""
