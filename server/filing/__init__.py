"""Filing a published report in the municipality's case system."""
