"""The gallery of published concepts, their covers, the hosts' dashboard and its CSV export."""
