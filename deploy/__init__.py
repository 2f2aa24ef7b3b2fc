"""Running the lab as several replicas behind nginx (see deploy/README.md)."""
