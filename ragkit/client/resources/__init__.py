"""Resource classes, one per REST collection, nested the way the URLs nest."""
