"""Questions and answers on a challenge: people ask, the hosts answer, merge duplicates and hide abuse."""
