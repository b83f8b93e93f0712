"""accountdesk: the customer-account system of a service provider."""
