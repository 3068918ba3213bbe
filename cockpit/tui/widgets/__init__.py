"""The cockpit's panels, one per module, each rendering a `CockpitView`."""
