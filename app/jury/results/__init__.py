"""The hosts' jury results: the ranking by the chosen method, combined with the public vote, the method check, the
jury report and the CSV exports."""
